package se.servicepunkt.booking;

import se.servicepunkt.web.Requests;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.Responses;

/**
 * Availability and bookings. Residents book without an account and manage a booking with its
 * reference and manage token (header {@code X-Manage-Token} or query {@code token}); staff of the
 * service's organisation use their bearer token instead (phone bookings, moves, cancellations).
 */
public final class BookingRoutes {
  private static final Set<String> CHANNELS = Set.of("desk", "video");
  private static final String MANAGE_TOKEN = "X-Manage-Token";

  private final BookingService service;
  private final StaffAuth auth;
  private final java.time.Clock clock;
  private final java.time.ZoneId zone;

  /** @param zone the zone of "today" when a listing names no dates */
  public BookingRoutes(BookingService service, StaffAuth auth, java.time.Clock clock, java.time.ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
    this.service = service;
    this.auth = auth;
  }

  public void mount(Router api) {
    api.get("/availability").handler(this::availability);
    auth.protect(api.get("/bookings")).handler(this::list);
    auth.allowStaff(api.post("/bookings")).handler(this::book);
    auth.allowStaff(api.get("/bookings/:reference")).handler(this::get);
    auth.allowStaff(api.delete("/bookings/:reference")).handler(this::cancel);
    auth.allowStaff(api.post("/bookings/:reference/reschedule")).handler(this::reschedule);
    auth.allowStaff(api.get("/bookings/:reference/calendar.ics")).handler(this::calendar);
  }

  private void availability(RoutingContext ctx) {
    Input in = Requests.query(ctx);
    UUID point = in.id("servicePoint");
    UUID serviceId = in.id("service");
    String channel = in.oneOf("channel", CHANNELS, "desk");
    LocalDate from = in.date("from");
    LocalDate to = in.date("to");
    in.checkRange(from, to, BookingService.MAX_RANGE_DAYS).done();
    service.availability(point, serviceId, channel, from, to)
        .onComplete(Responses.ok(ctx));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.query(ctx);
    UUID point = in.optionalId("servicePoint");
    LocalDate from = in.optionalDate("from");
    LocalDate to = in.optionalDate("to");
    LocalDate first = from != null ? from : LocalDate.now(clock.withZone(zone));
    LocalDate last = to != null ? to : first.plusDays(13);
    in.checkRange(first, last, BookingService.MAX_RANGE_DAYS).done();
    service.list(caller, point, first, last)
        .onComplete(Responses.array(ctx));
  }

  private void book(RoutingContext ctx) {
    Caller caller = Caller.optional(ctx);
    String key = Idempotency.check(ctx.request().getHeader("Idempotency-Key"));
    Input in = Requests.body(ctx);
    UUID point = in.id("servicePointId");
    UUID serviceId = in.id("serviceId");
    String channel = in.oneOf("channel", CHANNELS, null);
    OffsetDateTime start = in.instant("start");
    String name = in.text("name", 200);
    String email = in.email("email");
    String phone = in.optionalText("phone", 30);
    in.check(phone == null || phone.matches("\\+?[0-9][0-9 ()-]{5,28}"), "phone", "must be a telephone number");
    String language = in.oneOf("language", Set.of("sv", "en"), "sv");
    Boolean consent = in.bool("consent", null);
    in.check(consent == null || consent, "consent", "must be true: we need your consent to store your name and contact details");
    in.done();
    var request = new BookingService.Request(point, serviceId, channel, start, name, email, phone, language);
    service.book(request, key == null ? null : new Idempotency(key, in.json()), caller == null ? null : caller.staffId())
        .map(Idempotency.Answer::body)
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("reference")));
  }

  private void get(RoutingContext ctx) {
    String token = manageToken(ctx);
    Caller caller = Caller.optional(ctx);
    service.authorised(ctx.pathParam("reference"), token, caller)
        .compose(booking -> service.viewFor(booking, token, caller))
        .onComplete(Responses.ok(ctx));
  }

  private void cancel(RoutingContext ctx) {
    String token = manageToken(ctx);
    Caller caller = Caller.optional(ctx);
    service.authorised(ctx.pathParam("reference"), token, caller)
        .compose(booking -> service.cancel(booking, caller))
        .map(booking -> service.view(booking, token))
        .onComplete(Responses.ok(ctx));
  }

  private void reschedule(RoutingContext ctx) {
    String token = manageToken(ctx);
    Caller caller = Caller.optional(ctx);
    Input in = Requests.body(ctx);
    OffsetDateTime start = in.instant("start");
    in.done();
    service.authorised(ctx.pathParam("reference"), token, caller)
        .compose(booking -> service.reschedule(booking, start, caller))
        .map(booking -> service.view(booking, token))
        .onComplete(Responses.ok(ctx));
  }

  private void calendar(RoutingContext ctx) {
    String token = manageToken(ctx);
    service.authorised(ctx.pathParam("reference"), token, Caller.optional(ctx))
        .onSuccess(booking -> ctx.response()
            .putHeader("Content-Type", "text/calendar; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"" + booking.reference() + ".ics\"")
            .end(service.calendar(booking, token)))
        .onFailure(ctx::fail);
  }

  /** The resident's manage token; without it (and without a staff token) the answer is 401. */
  private static String manageToken(RoutingContext ctx) {
    return Caller.tokenOrStaff(ctx, MANAGE_TOKEN, "The booking's manage token");
  }

}
