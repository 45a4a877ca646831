package se.servicepunkt.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
  private final String metricsToken;

  /**
   * @param metricsToken the bearer token {@code /metrics} requires; null: {@code /metrics} is not
   *                     served at all (it tells anyone how busy the server is and what runs on it)
   */
  public OperationsRoutes(Pool pool, PrometheusMeterRegistry metrics, String metricsToken) {
    this.pool = pool;
    this.metrics = metrics;
    this.metricsToken = metricsToken;
  }

  public void mount(Router root) {
    root.get("/health/live").handler(ctx -> health(ctx, 200, "up"));
    root.get("/health/ready").handler(this::ready);
    if (metricsToken != null) {
      root.get("/metrics").handler(this::scraper).handler(PrometheusScrapingHandler.create(metrics));
    }
    root.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .sendFile("openapi.yaml"));
  }

  /** Only a scraper with the configured token; compared in constant time. */
  private void scraper(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), metricsToken.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer").setStatusCode(401).end();
    }
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
