package se.servicepunkt;

import se.servicepunkt.core.Problem;
import se.servicepunkt.web.FailureHandler;
import se.servicepunkt.web.RequestTimeout;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import se.servicepunkt.auth.AuthRoutes;
import se.servicepunkt.booking.BookingRoutes;
import se.servicepunkt.booking.ResidentPages;
import se.servicepunkt.directory.DirectoryPages;
import se.servicepunkt.directory.DirectoryRoutes;
import se.servicepunkt.ops.OperationsRoutes;
import se.servicepunkt.page.Pages;
import se.servicepunkt.page.SecurityHeaders;

/**
 * Assembles the one router of the server from the per-feature route classes: the API under
 * {@code /api/v1} and the operations paths answer JSON (errors as problem+json); every other path
 * is a page for people (errors as HTML pages).
 */
public final class ApiRouter {
  public static final String API = "/api/v1";

  private ApiRouter() {
  }

  public static Router create(AppContext app) {
    var vertx = app.vertx();
    Pages pages = app.pages();
    Router root = Router.router(vertx);
    root.route().handler(new SecurityHeaders());
    new OperationsRoutes(app.pool(), app.metrics()).mount(root);
    pages.mount(root);
    new DirectoryPages(app.pool(), pages, app.clock(), app.config().zone(), app.config().contactEmail(),
        app.config().retentionDays()).mount(root);
    new ResidentPages(app.bookings(), pages, app.config().demo()).mount(root);
    app.queue().pages(pages, app.config().baseUrl(), app.config().sseHeartbeatSeconds()).mount(root);

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
    var pageFailures = pages.failureHandler();
    api.route().failureHandler(failures);
    root.route().failureHandler(ctx -> (isPage(ctx) ? pageFailures : failures).handle(ctx));
    root.errorHandler(404, ctx -> {
      if (isPage(ctx)) {
        pages.notFound(ctx);
      } else {
        FailureHandler.send(ctx, Problem.notFound("The resource " + ctx.request().path()));
      }
    });
    root.errorHandler(405, ctx -> {
      if (isPage(ctx)) {
        pages.error(ctx, 405);
      } else {
        FailureHandler.send(ctx, FailureHandler.toProblem(null, 405));
      }
    });
    return root;
  }

  /** Whether the request is for a page (answered in HTML) rather than the API or operations (JSON). */
  static boolean isPage(RoutingContext ctx) {
    String path = ctx.request().path();
    return !(path.equals("/api") || path.startsWith("/api/") || path.startsWith("/health/") || path.equals("/metrics")
        || path.equals("/openapi.yaml"));
  }
}
