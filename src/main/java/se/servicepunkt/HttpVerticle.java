package se.servicepunkt;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** One HTTP server instance; several share the port, one per event loop. */
public final class HttpVerticle extends VerticleBase {
  private final AppContext app;

  public HttpVerticle(AppContext app) {
    this.app = app;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(app.config().httpHost())
            .setPort(app.config().httpPort())
            .setCompressionSupported(true)
            // Longer than the streams' heartbeat (AppConfig checks), so only dead connections are closed.
            .setIdleTimeout(app.config().httpIdleTimeoutSeconds()))
        .requestHandler(ApiRouter.create(app))
        .listen()
        .map(HttpServer::actualPort);
  }
}
