package se.servicepunkt;

import se.servicepunkt.core.Problem;
import se.servicepunkt.web.FailureHandler;
import se.servicepunkt.web.RequestTimeout;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import se.servicepunkt.auth.AuthRoutes;
import se.servicepunkt.booking.BookingRoutes;
import se.servicepunkt.booking.ResidentPages;
import se.servicepunkt.directory.DirectoryRoutes;
import se.servicepunkt.ops.OperationsRoutes;

/** Assembles the one router of the server from the per-feature route classes. */
public final class ApiRouter {
  public static final String API = "/api/v1";

  private ApiRouter() {
  }

  public static Router create(AppContext app) {
    var vertx = app.vertx();
    Router root = Router.router(vertx);
    new OperationsRoutes(app.pool(), app.metrics()).mount(root);
    new ResidentPages(app.bookings(), app.config().demo()).mount(root);

    Router api = Router.router(vertx);
    api.route().handler(new RequestTimeout(app.config().requestTimeoutMs()));
    api.route().handler(BodyHandler.create(false).setBodyLimit(app.config().bodyLimitBytes()));
    new AuthRoutes(app.logins(), app.staffAuth(), app.pool()).mount(api);
    DirectoryRoutes.mount(api, app.pool(), app.staffAuth(), app.passwords(), app.clock(), app.config().zone());
    new BookingRoutes(app.bookings(), app.staffAuth(), app.clock(), app.config().zone()).mount(api);
    app.queue().routes(app.staffAuth(), app.config().baseUrl(), app.config().sseHeartbeatSeconds(),
        app.config().sseReplayMax(), app.streamLimits()).mount(api);
    root.route(API + "/*").subRouter(api);

    var failures = new FailureHandler();
    api.route().failureHandler(failures);
    root.route().failureHandler(failures);
    root.errorHandler(404, ctx -> FailureHandler.send(ctx, Problem.notFound("The resource " + ctx.request().path())));
    root.errorHandler(405, ctx -> FailureHandler.send(ctx, FailureHandler.toProblem(null, 405)));
    return root;
  }
}
