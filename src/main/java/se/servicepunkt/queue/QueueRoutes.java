package se.servicepunkt.queue;

import se.servicepunkt.web.Requests;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Secrets;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.live.EventStream;
import se.servicepunkt.live.LiveHub;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.Responses;
import se.servicepunkt.web.SseStream;

/**
 * The live queue over HTTP: tickets and check-in for visitors (ticket token, header
 * {@code X-Ticket-Token} or query {@code token}), counters and visits for staff (bearer token),
 * display tokens for administrators, and the three event streams.
 */
public final class QueueRoutes {
  private static final Set<String> CHANNELS = Set.of("desk", "video");
  private static final Set<String> LANGUAGES = Set.of("sv", "en");
  private static final String TICKET_TOKEN = "X-Ticket-Token";

  private final QueueService service;
  private final QueueStreams streams;
  private final LiveHub hub;
  private final StaffAuth auth;
  private final String baseUrl;
  private final int heartbeatSeconds;
  private final int replayMax;
  private final DisplayTokens displays = new DisplayTokens();
  private final DirectoryQueries directory = new DirectoryQueries();

  public QueueRoutes(QueueService service, LiveHub hub, StaffAuth auth, String baseUrl, int heartbeatSeconds,
                     int replayMax) {
    this.service = service;
    this.streams = new QueueStreams(service);
    this.hub = hub;
    this.auth = auth;
    this.baseUrl = baseUrl;
    this.heartbeatSeconds = heartbeatSeconds;
    this.replayMax = replayMax;
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

    auth.protect(api.post("/counters/:counter/session")).handler(this::openCounter);
    auth.protect(api.delete("/counters/:counter/session")).handler(ctx -> counter(ctx, service::closeCounter));
    auth.protect(api.post("/counters/:counter/pause")).handler(ctx -> counter(ctx, service::pauseCounter));
    auth.protect(api.post("/counters/:counter/resume")).handler(ctx -> counter(ctx, service::resumeCounter));
    auth.protect(api.post("/counters/:counter/call-next")).handler(this::callNext);
    auth.protect(api.post("/counters/:counter/call")).handler(this::call);

    auth.protect(api.post("/tickets/:ticket/recall")).handler(ctx -> visit(ctx, service.recall(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/start")).handler(ctx -> visit(ctx, service.start(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/finish")).handler(this::finish);
    auth.protect(api.post("/tickets/:ticket/no-show")).handler(ctx -> visit(ctx, service.noShow(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/return")).handler(ctx -> visit(ctx, service.returnToQueue(ticketId(ctx), Caller.of(ctx))));
    auth.protect(api.post("/tickets/:ticket/transfer")).handler(this::transfer);

    auth.protect(api.post("/service-points/:id/display-tokens")).handler(this::createDisplayToken);
    auth.protect(api.get("/service-points/:id/display-tokens")).handler(this::listDisplayTokens);
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
        ? in.oneOf("priorityReason", Set.copyOf(service.policy().priorityReasons()), null)
        : null;
    in.done();
    service.takeTicket(new QueueService.TicketRequest(point, serviceId, channel, language, priority))
        .compose(this::issued)
        .onSuccess(json -> Responses.created(ctx, "/api/v1/tickets/" + json.getString("id"), json))
        .onFailure(ctx::fail);
  }

  private void checkIn(RoutingContext ctx) {
    String token = Caller.tokenOrStaff(ctx, "X-Manage-Token", "The booking's manage token");
    service.checkIn(ctx.pathParam("reference"), token, Caller.optional(ctx))
        .compose(this::issued)
        .onSuccess(json -> Responses.created(ctx, "/api/v1/tickets/" + json.getString("id"), json))
        .onFailure(ctx::fail);
  }

  /** A new ticket as its visitor sees it, with the token (shown once) and the links to follow it. */
  private Future<JsonObject> issued(QueueService.Issued issued) {
    String id = issued.ticket().id().toString();
    return service.status(issued.ticket()).map(json -> json.put("token", issued.token())
        .put("links", new JsonObject()
            .put("self", baseUrl + "/api/v1/tickets/" + id + "?token=" + issued.token())
            .put("events", baseUrl + "/api/v1/tickets/" + id + "/events?token=" + issued.token())));
  }

  private void ticket(RoutingContext ctx) {
    service.authorised(ticketId(ctx), ticketToken(ctx), Caller.optional(ctx))
        .compose(service::status)
        .onSuccess(json -> Responses.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  private void leave(RoutingContext ctx) {
    service.authorised(ticketId(ctx), ticketToken(ctx), Caller.optional(ctx))
        .compose(service::cancel)
        .compose(service::status)
        .onSuccess(json -> Responses.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  // ---- staff ----------------------------------------------------------------------------------

  private void queue(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    staffPoint(ctx, caller)
        .compose(point -> streams.staff(point).snapshot())
        .onSuccess(snapshot -> Responses.ok(ctx, snapshot.data()))
        .onFailure(ctx::fail);
  }

  private void openCounter(RoutingContext ctx) {
    UUID counter = counterId(ctx);
    Input in = Requests.optionalBody(ctx);
    List<String> channels = in.has("channels") ? in.someOf("channels", CHANNELS) : null;
    in.done();
    service.openCounter(counter, Caller.of(ctx), channels)
        .onSuccess(json -> Responses.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  private void counter(RoutingContext ctx, java.util.function.BiFunction<UUID, Caller, Future<JsonObject>> action) {
    action.apply(counterId(ctx), Caller.of(ctx))
        .onSuccess(json -> Responses.ok(ctx, json))
        .onFailure(ctx::fail);
  }

  private void callNext(RoutingContext ctx) {
    service.callNext(counterId(ctx), Caller.of(ctx))
        .compose(ticket -> ticket == null ? Future.succeededFuture((JsonObject) null) : service.status(ticket))
        .onSuccess(json -> {
          if (json == null) {
            Responses.noContent(ctx);
          } else {
            Responses.ok(ctx, json);
          }
        })
        .onFailure(ctx::fail);
  }

  private void call(RoutingContext ctx) {
    UUID counter = counterId(ctx);
    Input in = Requests.body(ctx);
    UUID ticket = in.id("ticketId");
    in.done();
    visit(ctx, service.call(counter, ticket, Caller.of(ctx)));
  }

  private void finish(RoutingContext ctx) {
    UUID ticket = ticketId(ctx);
    Input in = Requests.optionalBody(ctx);
    String outcome = in.optionalText("outcome", 200);
    in.done();
    visit(ctx, service.finish(ticket, Caller.of(ctx), outcome));
  }

  private void transfer(RoutingContext ctx) {
    UUID ticket = ticketId(ctx);
    Input in = Requests.body(ctx);
    UUID serviceId = in.id("serviceId");
    in.done();
    visit(ctx, service.transfer(ticket, Caller.of(ctx), serviceId));
  }

  private void visit(RoutingContext ctx, Future<Ticket> change) {
    change.compose(service::status).onSuccess(json -> Responses.ok(ctx, json)).onFailure(ctx::fail);
  }

  // ---- display tokens -------------------------------------------------------------------------

  private void createDisplayToken(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    String name = in.text("name", 100);
    in.done();
    String token = Secrets.token();
    adminPoint(ctx, caller)
        .compose(point -> displays.create(service.pool(), point.id(), name, token, caller.staffId()))
        .onSuccess(created -> Responses.created(ctx,
            "/api/v1/service-points/" + created.pointId() + "/display-tokens/" + created.id(),
            created.toJson().put("token", token).put("events", baseUrl + "/api/v1/service-points/" + created.pointId()
                + "/display/events?token=" + token)))
        .onFailure(ctx::fail);
  }

  private void listDisplayTokens(RoutingContext ctx) {
    adminPoint(ctx, Caller.of(ctx))
        .compose(point -> displays.list(service.pool(), point.id()))
        .onSuccess(list -> Responses.list(ctx, list, DisplayTokens.DisplayToken::toJson))
        .onFailure(ctx::fail);
  }

  private void revokeDisplayToken(RoutingContext ctx) {
    UUID tokenId = Requests.pathId(ctx, "token", DisplayTokens.WHAT);
    adminPoint(ctx, Caller.of(ctx))
        .compose(point -> service.revokeDisplayToken(point.id(), tokenId))
        .onSuccess(v -> Responses.noContent(ctx))
        .onFailure(ctx::fail);
  }

  // ---- streams --------------------------------------------------------------------------------

  private void displayEvents(RoutingContext ctx) {
    UUID pointId = pointId(ctx);
    directory.point(service.pool(), pointId)
        .compose(point -> displays.check(service.pool(), pointId, ctx.queryParams().get("token"))
            .map(token -> streams.display(point, token.id())))
        .onSuccess(display -> EventStream.start(hub, service.pool(), pointId, display,
            SseStream.open(ctx, heartbeatSeconds), lastEventId(ctx), replayMax))
        .onFailure(ctx::fail);
  }

  private void ticketEvents(RoutingContext ctx) {
    service.authorised(ticketId(ctx), ticketToken(ctx), Caller.optional(ctx))
        .onSuccess(ticket -> EventStream.start(hub, service.pool(), ticket.servicePointId(), streams.ticket(ticket),
            SseStream.open(ctx, heartbeatSeconds), lastEventId(ctx), replayMax))
        .onFailure(ctx::fail);
  }

  private void staffEvents(RoutingContext ctx) {
    staffPoint(ctx, Caller.of(ctx))
        .onSuccess(point -> EventStream.start(hub, service.pool(), point.id(), streams.staff(point),
            SseStream.open(ctx, heartbeatSeconds), lastEventId(ctx), replayMax))
        .onFailure(ctx::fail);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Future<ServicePoint> staffPoint(RoutingContext ctx, Caller caller) {
    return directory.point(service.pool(), pointId(ctx))
        .compose(point -> service.servesAt(point.id(), caller).map(point));
  }

  private Future<ServicePoint> adminPoint(RoutingContext ctx, Caller caller) {
    return directory.point(service.pool(), pointId(ctx)).map(caller.ifAdminOf(ServicePoint::organisationId));
  }

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

  private static String ticketToken(RoutingContext ctx) {
    return Caller.tokenOrStaff(ctx, TICKET_TOKEN, "The ticket's token");
  }


  private static UUID pointId(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", "The service point");
  }

  private static UUID ticketId(RoutingContext ctx) {
    return Requests.pathId(ctx, "ticket", QueueRepository.TICKET);
  }

  private static UUID counterId(RoutingContext ctx) {
    return Requests.pathId(ctx, "counter", QueueRepository.COUNTER);
  }
}
