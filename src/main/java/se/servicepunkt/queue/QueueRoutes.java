package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.live.EventStream;
import se.servicepunkt.live.LiveHub;
import se.servicepunkt.web.Requests;
import se.servicepunkt.web.Responses;
import se.servicepunkt.web.SseStream;
import se.servicepunkt.web.StreamLimits;

/**
 * The live queue over HTTP: tickets and check-in for visitors (ticket token, header
 * {@code X-Ticket-Token} or query {@code token}), counters and visits for staff (bearer token),
 * display tokens for administrators, and the three event streams. Reads the request, calls one
 * service, answers.
 */
public final class QueueRoutes {
  private static final Set<String> CHANNELS = Set.of("desk", "video");
  private static final Set<String> LANGUAGES = Set.of("sv", "en");
  private static final String TICKET_TOKEN = "X-Ticket-Token";
  private static final String MANAGE_TOKEN = "X-Manage-Token";

  /** What the routes call: built once by {@link Queue}. */
  record Services(Tickets tickets, Places places, Counters counters, Visits visits, DisplayTokens displays,
                  QueueAccess access, QueueStreams streams, DirectoryQueries directory, QueuePolicy policy,
                  DayBookings dayBookings) {
  }

  private final Services s;
  private final LiveHub hub;
  private final io.vertx.sqlclient.Pool pool;
  private final StaffAuth auth;
  private final String baseUrl;
  private final int heartbeatSeconds;
  private final int replayMax;
  private final StreamLimits limits;

  /** @param pool the pool of event streams, which their reads use */
  QueueRoutes(Services services, LiveHub hub, io.vertx.sqlclient.Pool pool, StaffAuth auth, String baseUrl,
              int heartbeatSeconds, int replayMax, StreamLimits limits) {
    this.s = services;
    this.hub = hub;
    this.pool = pool;
    this.auth = auth;
    this.baseUrl = baseUrl;
    this.heartbeatSeconds = heartbeatSeconds;
    this.replayMax = replayMax;
    this.limits = limits;
  }

  public void mount(Router api) {
    api.post("/service-points/:id/tickets").handler(this::takeTicket);
    auth.allowStaff(api.get("/tickets/:ticket")).handler(this::ticket);
    auth.allowStaff(api.delete("/tickets/:ticket")).handler(this::leave);
    auth.allowStaff(api.post("/bookings/:reference/check-in")).handler(this::checkIn);
    auth.allowStaff(api.get("/tickets/:ticket/events")).handler(this::ticketEvents);
    api.get("/service-points/:id/display/events").handler(this::displayEvents);
    auth.protectStream(api.get("/service-points/:id/queue/events")).handler(this::staffEvents);
    auth.protect(api.get("/service-points/:id/queue")).handler(this::queue);
    auth.protect(api.get("/service-points/:id/todays-bookings"))
        .handler(ctx -> s.dayBookings().today(pointId(ctx), Caller.of(ctx)).onComplete(Responses.ok(ctx)));

    auth.protect(api.post("/counters/:counter/session")).handler(this::openCounter);
    auth.protect(api.delete("/counters/:counter/session"))
        .handler(ctx -> s.counters().close(counterId(ctx), Caller.of(ctx)).onComplete(Responses.ok(ctx)));
    auth.protect(api.post("/counters/:counter/pause")).handler(this::pauseCounter);
    auth.protect(api.post("/counters/:counter/resume"))
        .handler(ctx -> s.counters().resume(counterId(ctx), Caller.of(ctx)).onComplete(Responses.ok(ctx)));
    auth.protect(api.post("/counters/:counter/call-next")).handler(this::callNext);
    auth.protect(api.post("/counters/:counter/call")).handler(this::call);

    auth.protect(api.post("/tickets/:ticket/recall"))
        .handler(ctx -> visit(ctx, s.visits().recall(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/start"))
        .handler(ctx -> visit(ctx, s.visits().start(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/finish")).handler(this::finish);
    auth.protect(api.post("/tickets/:ticket/no-show"))
        .handler(ctx -> visit(ctx, s.visits().noShow(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/return"))
        .handler(ctx -> visit(ctx, s.visits().returnToQueue(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/transfer")).handler(this::transfer);

    auth.protect(api.post("/service-points/:id/display-tokens")).handler(this::createDisplayToken);
    auth.protect(api.get("/service-points/:id/display-tokens"))
        .handler(ctx -> s.displays().list(pointId(ctx), Caller.of(ctx))
            .onComplete(Responses.list(ctx, DisplayTokens.DisplayToken::toJson)));
    auth.protect(api.delete("/service-points/:id/display-tokens/:token")).handler(this::revokeDisplayToken);
  }

  // ---- visitors -------------------------------------------------------------------------------

  private void takeTicket(RoutingContext ctx) {
    UUID point = pointId(ctx);
    Input in = Requests.body(ctx);
    UUID serviceId = in.id("serviceId");
    String channel = in.oneOf("channel", CHANNELS, "desk");
    String language = in.oneOf("language", LANGUAGES, "sv");
    String priority = in.has("priorityReason") && in.json().getValue("priorityReason") != null
        ? in.oneOf("priorityReason", Set.copyOf(s.policy().priorityReasons()), null)
        : null;
    in.done();
    String key = idempotencyKey(ctx);
    s.tickets().take(new Tickets.Request(point, serviceId, channel, language, priority, key))
        .compose(this::issued)
        .onComplete(Responses.created(ctx, json -> "/api/v1/tickets/" + json.getString("id")));
  }

  private void checkIn(RoutingContext ctx) {
    String token = Caller.tokenOrStaff(ctx, MANAGE_TOKEN, "The booking's manage token");
    s.tickets().checkIn(ctx.pathParam("reference"), token, Caller.optional(ctx))
        .compose(this::issued)
        .onComplete(Responses.created(ctx, json -> "/api/v1/tickets/" + json.getString("id")));
  }

  /** A new ticket as its visitor sees it, with the token (shown once) and the links to follow it. */
  private Future<JsonObject> issued(Tickets.Issued issued) {
    String id = issued.ticket().id().toString();
    return s.places().status(issued.ticket()).map(json -> json.put("token", issued.token())
        .put("links", new JsonObject()
            .put("self", baseUrl + "/api/v1/tickets/" + id + "?token=" + issued.token())
            .put("events", baseUrl + "/api/v1/tickets/" + id + "/events?token=" + issued.token())));
  }

  /** The ticket; to staff of its service's organisation, with the booking it came from (reference and name). */
  private void ticket(RoutingContext ctx) {
    Caller caller = Caller.optional(ctx);
    s.tickets().authorised(ticketId(ctx), ticketToken(ctx), caller)
        .compose(ticket -> Future.all(s.places().status(ticket), s.tickets().bookedBy(ticket, caller))
            .map(both -> {
              JsonObject json = both.resultAt(0);
              JsonObject booking = both.resultAt(1);
              return booking == null ? json : json.put("booking", booking);
            }))
        .map(json -> forCaller(json, caller))
        .onComplete(Responses.ok(ctx));
  }

  /** The visitor leaves (with the ticket's token), or staff of the ticket's organisation take it out of the queue. */
  private void leave(RoutingContext ctx) {
    Caller caller = Caller.optional(ctx);
    String token = ticketToken(ctx);
    s.tickets().authorised(ticketId(ctx), token, caller)
        .compose(ticket -> s.tickets().holdsToken(ticket, token) ? Future.succeededFuture(ticket)
            : QueueAccess.own(ticket, caller))
        .compose(s.tickets()::leave)
        .compose(s.places()::status)
        .map(json -> forCaller(json, caller))
        .onComplete(Responses.ok(ctx));
  }

  /**
   * Staff's note of how a visit ended is theirs: a visitor (with the ticket's token) never sees it;
   * staff of another organisation at a shared point see the ticket without its details.
   */
  private static JsonObject forCaller(JsonObject ticket, Caller caller) {
    if (caller == null) {
      ticket.remove("outcome");
    }
    return QueueAccess.shownTo(ticket, caller);
  }

  // ---- staff ----------------------------------------------------------------------------------

  private void queue(RoutingContext ctx) {
    s.access().staffPoint(pointId(ctx), Caller.of(ctx))
        .compose(point -> s.streams().staff(point, Caller.of(ctx)).snapshot())
        .map(EventStream.Snapshot::data)
        .onComplete(Responses.ok(ctx));
  }

  private void openCounter(RoutingContext ctx) {
    UUID counter = counterId(ctx);
    Input in = Requests.optionalBody(ctx);
    List<String> channels = in.has("channels") ? in.someOf("channels", CHANNELS) : null;
    in.done();
    s.counters().open(counter, Caller.of(ctx), channels).onComplete(Responses.ok(ctx));
  }

  /** Pauses, with why when the body says ({@code reason}: lunch, meeting, admin or other). */
  private void pauseCounter(RoutingContext ctx) {
    UUID counter = counterId(ctx);
    Input in = Requests.optionalBody(ctx);
    String reason = in.has("reason") && in.json().getValue("reason") != null
        ? in.oneOf("reason", StaffedCounter.PAUSE_REASONS, null) : null;
    in.done();
    s.counters().pause(counter, Caller.of(ctx), reason).onComplete(Responses.ok(ctx));
  }

  private void callNext(RoutingContext ctx) {
    s.counters().callNext(counterId(ctx), Caller.of(ctx))
        .compose(ticket -> ticket == null ? Future.succeededFuture() : s.places().status(ticket))
        .onComplete(Responses.okOrNoContent(ctx));
  }

  private void call(RoutingContext ctx) {
    UUID counter = counterId(ctx);
    Input in = Requests.body(ctx);
    UUID ticket = in.id("ticketId");
    in.done();
    visit(ctx, s.counters().call(counter, ticket, Caller.of(ctx)));
  }

  private void finish(RoutingContext ctx) {
    UUID ticket = ticketId(ctx);
    Input in = Requests.optionalBody(ctx);
    String outcome = in.optionalText("outcome", 200);
    in.done();
    visit(ctx, s.visits().finish(ticket, Caller.of(ctx), outcome));
  }

  private void transfer(RoutingContext ctx) {
    UUID ticket = ticketId(ctx);
    Input in = Requests.body(ctx);
    UUID serviceId = in.id("serviceId");
    in.done();
    visit(ctx, s.visits().transfer(ticket, Caller.of(ctx), serviceId));
  }

  private void visit(RoutingContext ctx, Future<Ticket> change) {
    change.compose(s.places()::status).onComplete(Responses.ok(ctx));
  }

  // ---- display tokens -------------------------------------------------------------------------

  private void createDisplayToken(RoutingContext ctx) {
    UUID point = pointId(ctx);
    Input in = Requests.body(ctx);
    String name = in.text("name", 100);
    in.done();
    s.displays().create(point, Caller.of(ctx), name)
        .map(created -> created.record().toJson().put("token", created.token())
            .put("events", baseUrl + "/api/v1/service-points/" + point + "/display/events?token=" + created.token()))
        .onComplete(Responses.created(ctx,
            json -> "/api/v1/service-points/" + point + "/display-tokens/" + json.getString("id")));
  }

  private void revokeDisplayToken(RoutingContext ctx) {
    UUID tokenId = Requests.pathId(ctx, "token", DisplayTokens.WHAT);
    s.displays().revoke(pointId(ctx), tokenId, Caller.of(ctx)).onComplete(Responses.noContent(ctx));
  }

  // ---- streams --------------------------------------------------------------------------------

  /** A screen's view and the display token it uses (counted by the stream caps). */
  private record DisplayStream(EventStream.View view, UUID tokenId) {
  }

  private void displayEvents(RoutingContext ctx) {
    UUID pointId = pointId(ctx);
    s.directory().point(pool, pointId)
        .compose(point -> s.displays().check(pointId, ctx.queryParams().get("token"))
            .map(token -> new DisplayStream(s.streams().display(point, token.id()), token.id())))
        .onSuccess(display -> stream(ctx, pointId, display.view(), StreamLimits.Kind.DISPLAY, display.tokenId().toString()))
        .onFailure(ctx::fail);
  }

  private void ticketEvents(RoutingContext ctx) {
    s.tickets().authorised(ticketId(ctx), ticketToken(ctx), Caller.optional(ctx))
        .onSuccess(ticket -> stream(ctx, ticket.servicePointId(), s.streams().ticket(ticket), StreamLimits.Kind.TICKET,
            ticket.id().toString()))
        .onFailure(ctx::fail);
  }

  private void staffEvents(RoutingContext ctx) {
    s.access().staffPoint(pointId(ctx), Caller.of(ctx))
        .onSuccess(point -> stream(ctx, point.id(), s.streams().staff(point, Caller.of(ctx)), StreamLimits.Kind.STAFF, null))
        .onFailure(ctx::fail);
  }

  /** Starts the stream if the caps allow one more following {@code key}; else the 429 or 503 goes to the failure handler. */
  private void stream(RoutingContext ctx, UUID point, EventStream.View view, StreamLimits.Kind kind, String key) {
    StreamLimits.Slot slot;
    try {
      slot = limits.acquire(ctx, kind, key);
    } catch (RuntimeException refused) {
      ctx.fail(refused);
      return;
    }
    var sse = SseStream.open(ctx, heartbeatSeconds).onClose(slot::release);
    auth.endWhenRevoked(ctx, sse); // a staff token's stream ends when that sign-in does
    if (kind == StreamLimits.Kind.TICKET) {
      sse.namedHeartbeats(); // the live ticket page's watchdog listens for it
    }
    EventStream.start(hub, pool, point, view, sse, lastEventId(ctx), replayMax);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** {@code Last-Event-ID} (what EventSource sends on reconnect) or the {@code lastEventId} query parameter. */
  private static Long lastEventId(RoutingContext ctx) {
    String value = ctx.request().getHeader("Last-Event-ID");
    if (value == null) {
      value = ctx.queryParams().get("lastEventId");
    }
    try {
      return value == null || value.isBlank() ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code Idempotency-Key}: 1 to 200 visible ASCII characters, or none. */
  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !key.matches("[\\x21-\\x7e]{1,200}")) {
      throw Problem.badRequest("Idempotency-Key must be 1 to 200 visible ASCII characters, e.g. a UUID.");
    }
    return key;
  }

  private static String ticketToken(RoutingContext ctx) {
    return Caller.tokenOrStaff(ctx, TICKET_TOKEN, "The ticket's token");
  }

  private static UUID pointId(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", "The service point");
  }

  private static UUID ticketId(RoutingContext ctx) {
    return Requests.pathId(ctx, "ticket", TicketRepository.TICKET);
  }

  private static UUID counterId(RoutingContext ctx) {
    return Requests.pathId(ctx, "counter", StaffedCounter.WHAT);
  }
}
