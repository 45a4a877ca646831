package se.servicepunkt.audit;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.auth.Caller;

/**
 * Records every change a signed-in member of staff makes through the API, once its answer has
 * gone out: who (their id and organisation), what (the operation, e.g. {@code POST
 * /api/v1/counters/:counter/call-next}, and the ids or booking reference its path named), when,
 * and the status it ended with (refusals too: 401 aside, a 403 says someone tried). Nothing a
 * resident typed is kept: bodies are not read. Reads are not recorded. Writing the row never
 * holds up or fails the request; a failed write is logged. Events older than
 * {@code auditRetentionDays} are removed hourly.
 */
public final class AuditLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  private static final String RECORD = """
      INSERT INTO audit_event (organisation_id, staff_id, action, target, status) VALUES ($1, $2, $3, $4, $5)""";
  private static final String PRUNE = "DELETE FROM audit_event WHERE at < now() - make_interval(days => $1)";

  private static final String TARGET = "audit.target";

  private final Pool pool;
  private final String prefix;
  private final int retentionDays;

  /** @param prefix the path the router it guards is mounted at ({@code /api/v1}; empty for pages) */
  public AuditLog(Pool pool, String prefix, int retentionDays) {
    this.pool = pool;
    this.prefix = prefix;
    this.retentionDays = retentionDays;
  }

  /**
   * Names what a change made that its path does not name (e.g. the reference of a booking a page's
   * form made), for the audit row of this request.
   */
  public static void target(RoutingContext ctx, String key, String value) {
    JsonObject target = ctx.get(TARGET);
    if (target == null) {
      target = new JsonObject();
      ctx.put(TARGET, target);
    }
    target.put(key, value);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (CHANGES.contains(ctx.request().method())) {
      ctx.addEndHandler(ended -> record(ctx));
    }
    ctx.next();
  }

  private void record(RoutingContext ctx) {
    Caller caller = Caller.optional(ctx);
    Route route = ctx.currentRoute();
    int status = ctx.response().getStatusCode();
    if (caller == null || route == null || route.getPath() == null || status == 401) {
      return;
    }
    var target = new JsonObject();
    ctx.pathParams().forEach(target::put);
    JsonObject more = ctx.get(TARGET);
    if (more != null) {
      target.mergeIn(more);
    }
    String action = ctx.request().method().name() + " " + prefix + route.getPath();
    pool.preparedQuery(RECORD).execute(Tuple.of(caller.organisationId(), caller.staffId(), action, target, status))
        .onFailure(e -> LOG.warn("Could not record {} by {} in the audit log: {}", action, caller.staffId(),
            e.getMessage()));
  }

  /** Removes events older than the retention, at start-up and every hour, on the jobs' pool. */
  public void startPruning(Vertx vertx, Pool jobs) {
    se.servicepunkt.core.Hourly.run(vertx, () -> prune(jobs));
  }

  Future<Integer> prune(Pool jobs) {
    return jobs.preparedQuery(PRUNE).execute(Tuple.of(retentionDays)).map(rows -> rows.rowCount())
        .onFailure(e -> LOG.warn("Pruning the audit log failed: {}", e.getMessage()));
  }
}
