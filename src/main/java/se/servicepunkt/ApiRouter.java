package se.servicepunkt;

import se.servicepunkt.core.Problem;
import se.servicepunkt.web.FailureHandler;
import se.servicepunkt.web.RequestTimeout;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import se.servicepunkt.web.JsonBodies;
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
  /** The residents' form posts that book, change, cancel, check in, find a booking, or take or leave a ticket. */
  static final java.util.List<String> RESIDENT_FORMS = java.util.List.of("/boka/kontrollera", "/hitta-bokning",
      "/manage/:reference/cancel", "/manage/:reference/byt-tid/tid", "/manage/:reference/checka-in",
      "/service-points/:id/ticket/fortur", "/t/:ticket/lamna");

  private ApiRouter() {
  }

  public static Router create(AppContext app) {
    var vertx = app.vertx();
    Pages pages = app.pages();
    Router root = Router.router(vertx);
    root.route().handler(new SecurityHeaders());
    new OperationsRoutes(app.pool(), app.metrics(), app.config().metricsToken()).mount(root);
    // Residents' forms that write or look a booking up, limited per client address like the API's
    // writes (a refused one gets the "busy" page, 429 with Retry-After).
    // A booking staff make on a resident's behalf carries a bearer token, which the limit below checks
    // asynchronously: the form's body must wait (paused) for the page's body handler.
    root.post("/boka/kontrollera").handler(ctx -> {
      ctx.request().pause();
      ctx.next();
    });
    for (String form : RESIDENT_FORMS) {
      root.post(form).handler(app.residentWrites());
    }
    // a booking staff make on a resident's behalf through the residents' pages is recorded like their API changes
    root.post("/boka/kontrollera").handler(new se.servicepunkt.audit.AuditLog(app.pool(), "",
        app.config().auditRetentionDays()));
    pages.mount(root);
    new DirectoryPages(app.pool(), pages, app.clock(), app.config().zone(), app.config().contactEmail(),
        app.config().retentionDays()).mount(root);
    var bookingPages = new se.servicepunkt.booking.BookingPages(app.bookings(), pages, app.clock(),
        app.config().retentionDays(), app.staffAuth());
    bookingPages.mount(root);
    new ResidentPages(app.bookings(), pages, app.config().demo(), app.queue().checkIns(), bookingPages).mount(root);
    app.queue().screenPages(pages, app.config().sseHeartbeatSeconds()).mount(root);
    app.queue().pages(pages, app.config().baseUrl(), app.config().sseHeartbeatSeconds()).mount(root);
    new se.servicepunkt.auth.SignInPages(pages).mount(root);
    app.queue().consolePages(pages, app.config().sseHeartbeatSeconds()).mount(root);
    app.stats().pages(pages).mount(root);

    Router api = Router.router(vertx);
    if (!app.config().corsOrigins().isEmpty()) {
      // Only the configured origins may call the API from their pages; tokens travel in headers,
      // never cookies, so no credentials are allowed and no origin is ever "*".
      api.route().handler(CorsHandler.create().addOrigins(app.config().corsOrigins())
          .allowedMethods(java.util.Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
          .allowedHeaders(java.util.Set.of("Content-Type", "Authorization", "Idempotency-Key", "Last-Event-ID"))
          .exposedHeaders(java.util.Set.of("Location", "Retry-After")).allowCredentials(false).maxAgeSeconds(600));
    }
    api.route().handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store"); // answers carry tokens and personal data
      ctx.next();
    });
    api.route().handler(new JsonBodies());
    api.route().handler(app.audit());
    api.route().handler(app.requestLimit());
    api.route().handler(new RequestTimeout(app.config().requestTimeoutMs()));
    api.route().handler(BodyHandler.create(false).setBodyLimit(app.config().bodyLimitBytes()));
    // Residents' writes, limited per client address (staff with a valid token are not counted).
    api.post("/bookings").handler(app.residentWrites());
    api.delete("/bookings/:reference").handler(app.residentWrites());
    api.post("/bookings/:reference/reschedule").handler(app.residentWrites());
    api.post("/bookings/:reference/check-in").handler(app.residentWrites());
    api.post("/service-points/:id/tickets").handler(app.residentWrites());
    api.delete("/tickets/:ticket").handler(app.residentWrites());
    new se.servicepunkt.audit.AuditRoutes(app.pool(), app.staffAuth(), app.config().zone()).mount(api);
    new se.servicepunkt.booking.PersonalDataRoutes(app.pool(), app.staffAuth(), app.clock()).mount(api);
    new AuthRoutes(app.logins(), app.staffAuth(), app.pool(),
        new se.servicepunkt.web.ClientAddress(app.config().trustedProxies()), app.passwords()).mount(api);
    DirectoryRoutes.mount(api, app.pool(), app.staffAuth(), app.passwords(), app.clock(), app.config().zone());
    new BookingRoutes(app.bookings(), app.staffAuth(), app.clock(), app.config().zone()).mount(api);
    app.stats().routes(app.staffAuth(), pages.messages()).mount(api);
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
