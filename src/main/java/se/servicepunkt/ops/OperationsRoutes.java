package se.servicepunkt.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;

/** Liveness, readiness, Prometheus metrics and the OpenAPI description. */
public final class OperationsRoutes {
  private static final String FAILED_MIGRATIONS =
      "SELECT count(*) FROM flyway_schema_history WHERE NOT success";

  private final Pool pool;
  private final PrometheusMeterRegistry metrics;

  public OperationsRoutes(Pool pool, PrometheusMeterRegistry metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  public void mount(Router root) {
    root.get("/health/live").handler(ctx -> health(ctx, 200, "up"));
    root.get("/health/ready").handler(this::ready);
    root.get("/metrics").handler(PrometheusScrapingHandler.create(metrics));
    root.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .sendFile("openapi.yaml"));
  }

  private void ready(RoutingContext ctx) {
    pool.query(FAILED_MIGRATIONS).execute()
        .onSuccess(rows -> {
          long failed = rows.iterator().next().getLong(0);
          health(ctx, failed == 0 ? 200 : 503, failed == 0 ? "ready" : "a database migration failed");
        })
        .onFailure(e -> health(ctx, 503, "database unreachable"));
  }

  private static void health(RoutingContext ctx, int status, String text) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("status", text).encode());
  }
}
