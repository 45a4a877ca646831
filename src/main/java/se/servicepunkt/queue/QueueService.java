package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.core.Secrets;
import se.servicepunkt.video.VideoMeetings;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.Service;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.QueueEvent;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Times;

/**
 * The live queue: tickets for walk-ins and checked-in bookings, counters calling the next
 * visitor, and the state transitions of a visit. Every change and its event are written in one
 * transaction; an invalid transition answers 409 and changes nothing.
 */
public final class QueueService {
  /** Policy settings from the configuration. */
  public record Policy(int checkInEarlyMinutes, int checkInLateMinutes, int priorityRatio, List<String> priorityReasons) {
  }

  /** A checked request for a walk-in ticket. */
  public record TicketRequest(UUID pointId, UUID serviceId, String channel, String language, String priorityReason) {
  }

  /** A new ticket and its token, which only the visitor gets. */
  public record Issued(Ticket ticket, String token) {
  }

  private final Pool pool;
  private final EventStore store;
  private final Consumer<QueueEvent> committed;
  private final BookingService bookings;
  private final VideoMeetings video;
  private final Clock clock;
  private final Policy policy;
  private final DirectoryQueries directory = new DirectoryQueries();
  private final QueueRepository queue = new QueueRepository();
  private final DisplayTokens displays = new DisplayTokens();

  /** @param committed receives each event once its transaction has committed (this instance's fan-out) */
  public QueueService(Pool pool, EventStore store, Consumer<QueueEvent> committed, BookingService bookings,
                      VideoMeetings video, Clock clock, Policy policy) {
    this.pool = pool;
    this.store = store;
    this.committed = committed;
    this.bookings = bookings;
    this.video = video;
    this.clock = clock;
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  Clock clock() {
    return clock;
  }

  QueueRepository repository() {
    return queue;
  }

  Pool pool() {
    return pool;
  }

  EventStore events() {
    return store;
  }

  // ---- visitors -------------------------------------------------------------------------------

  /** A walk-in ticket: the point must be open now and offer the service on the channel. */
  public Future<Issued> takeTicket(TicketRequest r) {
    if ("video".equals(r.channel()) && video == null) {
      return Future.failedFuture(Problem.conflict("Video meetings are not set up on this server."));
    }
    Instant now = clock.instant();
    return directory.pointAndService(pool, r.pointId(), r.serviceId()).compose(found -> {
      if (found.point() == null) {
        return Future.failedFuture(Problem.notFound("The service point"));
      }
      var in = se.servicepunkt.core.Input.of(new JsonObject());
      in.check(found.service() != null, "serviceId", "is not a known service");
      if (found.service() != null) {
        in.check(found.offered(), "serviceId", "is not offered at this service point");
        in.check(!found.offered() || found.service().channels().contains(r.channel()), "channel",
            "is not offered for that service");
      }
      in.done();
      ServicePoint point = found.point();
      LocalDate today = LocalDate.ofInstant(now, point.timeZone());
      return directory.calendar(pool, point, today, today).compose(calendar -> {
        boolean open = calendar.day(today).intervals().stream()
            .anyMatch(i -> !now.isBefore(i.start().toInstant()) && now.isBefore(i.end().toInstant()));
        if (!open) {
          return Future.failedFuture(Problem.conflict("The service point is closed now; tickets are given out during opening hours."));
        }
        String token = Secrets.token();
        return changing((tx, events) -> create(tx, events, point, found.service(), r.channel(), r.language(),
                r.priorityReason(), null, null, now, token, "video".equals(r.channel()) ? Secrets.room() : null))
            .map(ticket -> new Issued(ticket, token));
      });
    });
  }

  /**
   * Turns a booking into a ticket on its day. Early arrivals wait until the booked time; later than
   * the late window, the visitor joins as a walk-in. Video bookings join the virtual waiting room.
   */
  public Future<Issued> checkIn(String reference, String token, Caller caller) {
    Instant now = clock.instant();
    return bookings.authorised(reference, token, caller).compose(booking -> {
      if (!booking.active()) {
        return Future.failedFuture(Problem.conflict("The booking is cancelled."));
      }
      LocalDate today = LocalDate.ofInstant(now, booking.zone());
      LocalDate day = booking.start().atZoneSameInstant(booking.zone()).toLocalDate();
      if (!day.equals(today)) {
        return Future.failedFuture(Problem.conflict("The appointment is on " + day + "; check in on that day."));
      }
      Instant start = booking.start().toInstant();
      Instant opens = start.minus(Duration.ofMinutes(policy.checkInEarlyMinutes()));
      if (now.isBefore(opens)) {
        return Future.failedFuture(Problem.conflict("It is too early to check in; check in from "
            + Times.hhmm(opens.atZone(booking.zone()).toLocalTime()) + "."));
      }
      boolean late = now.isAfter(start.plus(Duration.ofMinutes(policy.checkInLateMinutes())));
      String ticketToken = Secrets.token();
      return queue.byBooking(pool, booking.id()).compose(existing -> existing != null
          ? Future.failedFuture(Problem.conflict("The booking is already checked in as ticket " + existing.number() + "."))
          : directory.pointAndService(pool, booking.servicePointId(), booking.serviceId()))
          .compose(found -> changing((tx, events) -> create(tx, events, found.point(), found.service(), booking.channel(),
              booking.language(), null, booking.id(), late ? null : start, now, ticketToken, booking.videoRoom())))
          .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
              ? Future.failedFuture(Problem.conflict("The booking is already checked in."))
              : Future.failedFuture(e))
          .map(ticket -> new Issued(ticket, ticketToken));
    });
  }

  /** The ticket, if {@code token} is its token or the caller is staff serving at its point; else 404. */
  public Future<Ticket> authorised(UUID id, String token, Caller caller) {
    return queue.byId(pool, id).compose(ticket -> {
      if (Secrets.matches(token, ticket.tokenHash())) {
        return Future.succeededFuture(ticket);
      }
      if (caller == null) {
        return Future.failedFuture(Problem.notFound(QueueRepository.TICKET));
      }
      return servesAt(ticket.servicePointId(), caller).map(v -> ticket);
    });
  }

  /** The visitor leaves the queue. */
  public Future<Ticket> cancel(Ticket ticket) {
    return change(ticket, "ticket-cancelled", (tx, now) -> queue.cancel(tx, ticket.id(), now),
        "It is no longer waiting, so it cannot be cancelled.", EventStore.Ratio.KEEP);
  }

  /** Position, estimated wait and (for a called video visitor) the meeting link. */
  public Future<JsonObject> status(Ticket ticket) {
    return place(pool, ticket).map(place -> ticket.toJson().mergeIn(place));
  }

  /** The visitor's place in the queue: position and estimated wait while waiting; the meeting link once called. */
  Future<JsonObject> place(SqlClient db, Ticket ticket) {
    return places(db, ticket.servicePointId(), List.of(ticket)).map(all -> all.get(ticket.id()));
  }

  /** Position, estimated wait and meeting link of several tickets of one point, in three queries at most. */
  Future<java.util.Map<UUID, JsonObject>> places(SqlClient db, UUID point, List<Ticket> tickets) {
    var answers = new java.util.HashMap<UUID, JsonObject>();
    var waitingIds = new java.util.ArrayList<UUID>();
    for (Ticket ticket : tickets) {
      answers.put(ticket.id(), new JsonObject().put("position", null).put("estimatedWaitMinutes", null)
          .put("videoLink", videoLink(ticket)));
      if (Ticket.WAITING.equals(ticket.status())) {
        waitingIds.add(ticket.id());
      }
    }
    if (waitingIds.isEmpty()) {
      return Future.succeededFuture(answers);
    }
    return Future.all(queue.places(db, waitingIds), queue.waiting(db, point, clock.instant())).map(all -> {
      List<QueueRepository.Place> places = all.resultAt(0);
      List<QueueRepository.Waiting> waiting = all.resultAt(1);
      for (var place : places) {
        answers.get(place.ticketId()).put("position", place.ahead() + 1).put("estimatedWaitMinutes", waiting.stream()
            .filter(w -> w.serviceId().equals(place.serviceId()) && w.channel().equals(place.channel()))
            .findFirst().map(w -> w.estimate(place.ahead())).orElse(null));
      }
      return answers;
    });
  }

  /** The meeting link of a video visitor who has been called (admitted), else null. */
  String videoLink(Ticket ticket) {
    if (!ticket.video() || video == null || ticket.videoRoom() == null
        || !(Ticket.CALLED.equals(ticket.status()) || Ticket.SERVING.equals(ticket.status()))) {
      return null;
    }
    Instant from = ticket.calledAt() != null ? ticket.calledAt().toInstant() : clock.instant();
    return video.link(ticket.videoRoom(), from, from.plus(Duration.ofMinutes(ticket.durationMinutes())));
  }

  // ---- counters -------------------------------------------------------------------------------

  /** The member of staff opens the counter for the channels they take (by default the counter's own). */
  public Future<JsonObject> openCounter(UUID counterId, Caller caller, List<String> channels) {
    return staffedCounter(counterId, caller, false).compose(counter -> {
      if (counter.staffed()) {
        return Future.failedFuture(Problem.conflict("The counter is already open."));
      }
      List<String> takes = channels != null ? channels : List.of(counter.channel());
      return changing((tx, events) -> queue.openSession(tx, counter.id(), caller.staffId(), takes)
              .compose(session -> counterEvent(tx, events, counter, "counter-opened")))
          .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
              ? Future.failedFuture(Problem.conflict("The counter is already open, or you are serving at another counter."))
              : Future.failedFuture(e))
          .compose(v -> queue.counter(pool, counterId)).map(QueueRepository.Counter::toJson);
    });
  }

  public Future<JsonObject> pauseCounter(UUID counterId, Caller caller) {
    return staffedCounter(counterId, caller, true)
        .compose(counter -> sessionChange(counter, "open", "paused", "counter-paused", "The counter is not open."));
  }

  public Future<JsonObject> resumeCounter(UUID counterId, Caller caller) {
    return staffedCounter(counterId, caller, true)
        .compose(counter -> sessionChange(counter, "paused", "open", "counter-resumed", "The counter is not paused."));
  }

  /** Closes the counter; visitors called there but not yet served go back to the queue. */
  public Future<JsonObject> closeCounter(UUID counterId, Caller caller) {
    return staffedCounter(counterId, caller, true).compose(counter -> queue.sessionBusy(pool, counter.sessionId())
        .compose(busy -> busy > 0
            ? Future.failedFuture(Problem.conflict("Finish, return or mark as no-show the visitors called to this counter first."))
            : sessionChange(counter, counter.sessionStatus(), "closed", "counter-closed", "The counter is not open.")));
  }

  /** Moves the counter's session (already checked to be the caller's) from one status to another. */
  private Future<JsonObject> sessionChange(QueueRepository.Counter counter, String from, String to, String type,
                                           String invalid) {
    return changing((tx, events) -> queue.sessionStatus(tx, counter.sessionId(), from, to, clock.instant())
            .compose(changed -> changed
                ? counterEvent(tx, events, counter, type)
                : Future.failedFuture(Problem.conflict(invalid))))
        .compose(v -> queue.counter(pool, counter.id())).map(QueueRepository.Counter::toJson);
  }

  /** Calls the next visitor for the counter; null when nobody waits for it. */
  public Future<Ticket> callNext(UUID counterId, Caller caller) {
    return callingCounter(counterId, caller).compose(counter -> {
      Instant now = clock.instant();
      return changing((tx, events) -> queue.callNext(tx, counter, policy.priorityRatio(), now).compose(ticket -> ticket == null
          ? Future.succeededFuture((Ticket) null)
          : emit(tx, events, ticket, "ticket-called", ratio(ticket)).map(ticket)));
    });
  }

  /** Calls one waiting visitor chosen by staff (even a booked visitor before their time). */
  public Future<Ticket> call(UUID counterId, UUID ticketId, Caller caller) {
    return callingCounter(counterId, caller).compose(counter -> queue.byId(pool, ticketId).compose(ticket -> {
      if (!ticket.servicePointId().equals(counter.pointId())) {
        return Future.failedFuture(Problem.invalid("ticketId", "is not a ticket of this service point"));
      }
      Instant now = clock.instant();
      return changing((tx, events) -> queue.call(tx, ticketId, counter, now).compose(called -> called != null
          ? emit(tx, events, called, "ticket-called", ratio(called)).map(called)
          : Future.failedFuture(Problem.conflict(!counter.channels().contains(ticket.channel())
              ? "The counter does not take " + ticket.channel() + " visitors."
              : "The ticket is " + ticket.status() + ", not waiting; it cannot be called."))));
    }));
  }

  // ---- a visit --------------------------------------------------------------------------------

  public Future<Ticket> recall(UUID id, Caller caller) {
    return staffChange(id, caller, "ticket-recalled", (tx, now) -> queue.recall(tx, id, now), "recalled");
  }

  public Future<Ticket> start(UUID id, Caller caller) {
    return staffChange(id, caller, "ticket-started", (tx, now) -> queue.start(tx, id, now), "started");
  }

  public Future<Ticket> finish(UUID id, Caller caller, String outcome) {
    return staffChange(id, caller, "ticket-finished", (tx, now) -> queue.finish(tx, id, now, outcome), "finished");
  }

  public Future<Ticket> noShow(UUID id, Caller caller) {
    return staffChange(id, caller, "ticket-no-show", (tx, now) -> queue.noShow(tx, id, now), "marked as no-show");
  }

  /** Back to waiting: a called visitor who is not served now keeps their place. */
  public Future<Ticket> returnToQueue(UUID id, Caller caller) {
    return staffChange(id, caller, "ticket-returned", (tx, now) -> queue.returnToQueue(tx, id, now), "returned to the queue");
  }

  /** To another service at the same point, keeping the original arrival time (and booked time). */
  public Future<Ticket> transfer(UUID id, Caller caller, UUID serviceId) {
    return staffTicket(id, caller).compose(ticket -> directory.pointAndService(pool, ticket.servicePointId(), serviceId)
        .compose(found -> {
          Service service = found.service();
          var in = se.servicepunkt.core.Input.of(new JsonObject());
          in.check(service != null, "serviceId", "is not a known service");
          in.check(service == null || found.offered(), "serviceId", "is not offered at this service point");
          in.check(service == null || !found.offered() || service.channels().contains(ticket.channel()), "serviceId",
              "is not offered on the ticket's channel");
          in.done();
          return staffChange(ticket, "ticket-transferred", (tx, now) -> queue.transfer(tx, id, now, serviceId),
              "transferred (it is closed, or already for that service)");
        }));
  }

  /** Revokes a display token; the event it writes disconnects the token's screens on every instance. */
  public Future<Void> revokeDisplayToken(UUID point, UUID tokenId) {
    return changing((tx, events) -> displays.revoke(tx, tokenId, point)
        .compose(revoked -> store.append(tx, point, "display-token-revoked",
            new JsonObject().put("displayToken", new JsonObject().put("id", revoked.id().toString())),
            EventStore.Ratio.KEEP))
        .onSuccess(events::add)
        .mapEmpty());
  }

  /** Expires what is still waiting or called at the point on local dates up to {@code through}. */
  Future<Integer> expire(UUID point, LocalDate through) {
    Instant now = clock.instant();
    return changing((tx, events) -> queue.expire(tx, point, through, now).compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> queue.byId(tx, id).compose(t -> emit(tx, events, t, "ticket-expired", EventStore.Ratio.KEEP)));
      }
      return chain.map(ids.size());
    }));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Future<Ticket> create(SqlClient tx, List<QueueEvent> events, ServicePoint point, Service service, String channel, String language,
                                String priorityReason, UUID bookingId, Instant bookedStart, Instant now, String token,
                                String videoRoom) {
    LocalDate today = LocalDate.ofInstant(now, point.timeZone());
    return queue.nextNumber(tx, point.id(), today, service.ticketLetter())
        .map(n -> service.ticketLetter() + String.format("%03d", n))
        .compose(number -> queue.insert(tx, new QueueRepository.NewTicket(point.id(), service.id(), channel, today,
            number, Secrets.sha256(token), language, priorityReason, bookingId, bookedStart, now, videoRoom)))
        .compose(id -> queue.byId(tx, id))
        .compose(ticket -> emit(tx, events, ticket, "ticket-created", EventStore.Ratio.KEEP).map(ticket));
  }

  private Future<Ticket> staffChange(UUID id, Caller caller, String type,
                                     BiFunction<SqlClient, Instant, Future<Ticket>> update, String verb) {
    return staffTicket(id, caller).compose(ticket -> staffChange(ticket, type, update, verb));
  }

  private Future<Ticket> staffChange(Ticket ticket, String type, BiFunction<SqlClient, Instant, Future<Ticket>> update,
                                     String verb) {
    return change(ticket, type, update, "The ticket is " + ticket.status() + "; it cannot be " + verb + ".",
        EventStore.Ratio.KEEP);
  }

  /** The ticket, if the caller is staff serving at its point. */
  private Future<Ticket> staffTicket(UUID id, Caller caller) {
    return queue.byId(pool, id).compose(ticket -> servesAt(ticket.servicePointId(), caller).map(ticket));
  }

  private Future<Ticket> change(Ticket ticket, String type, BiFunction<SqlClient, Instant, Future<Ticket>> update,
                                String invalid, EventStore.Ratio ratio) {
    Instant now = clock.instant();
    return changing((tx, events) -> update.apply(tx, now).compose(changed -> changed != null
        ? emit(tx, events, changed, type, ratio).map(changed)
        : Future.failedFuture(Problem.conflict(invalid))));
  }

  /** Writes the event of a ticket change, with the point's waiting summary, in the change's transaction. */
  /**
   * Runs a change in one transaction; the events it wrote are handed to this instance's
   * streams as soon as it commits (other instances hear of them through NOTIFY).
   */
  private <T> Future<T> changing(BiFunction<SqlClient, List<QueueEvent>, Future<T>> work) {
    List<QueueEvent> written = new CopyOnWriteArrayList<>();
    return pool.withTransaction(tx -> work.apply(tx, written)).onSuccess(result -> written.forEach(committed));
  }

  private Future<Void> emit(SqlClient tx, List<QueueEvent> written, Ticket ticket, String type,
                            EventStore.Ratio ratio) {
    return queue.waiting(tx, ticket.servicePointId(), clock.instant())
        .compose(waiting -> store.append(tx, ticket.servicePointId(), type, new JsonObject()
            .put("ticket", ticket.eventJson())
            .put("waiting", new JsonArray(waiting.stream().map(QueueRepository.Waiting::toJson).toList())), ratio))
        .onSuccess(written::add)
        .mapEmpty();
  }

  private Future<Void> counterEvent(SqlClient tx, List<QueueEvent> written, QueueRepository.Counter counter,
                                    String type) {
    return queue.waiting(tx, counter.pointId(), clock.instant())
        .compose(waiting -> store.append(tx, counter.pointId(), type, new JsonObject()
            .put("counter", new JsonObject().put("id", counter.id().toString()).put("name", counter.name()))
            .put("waiting", new JsonArray(waiting.stream().map(QueueRepository.Waiting::toJson).toList())),
            EventStore.Ratio.KEEP))
        .onSuccess(written::add)
        .mapEmpty();
  }

  /** Priority visitors reset the ratio count; ordinary walk-ins advance it; booked visitors leave it. */
  private static EventStore.Ratio ratio(Ticket ticket) {
    if (ticket.priorityReason() != null) {
      return EventStore.Ratio.RESET;
    }
    return ticket.bookedStart() != null ? EventStore.Ratio.KEEP : EventStore.Ratio.COUNT;
  }

  /** The counter, its session open (not paused) and held by the caller. */
  private Future<QueueRepository.Counter> callingCounter(UUID counterId, Caller caller) {
    return staffedCounter(counterId, caller, true).compose(counter -> counter.open()
        ? Future.succeededFuture(counter)
        : Future.failedFuture(Problem.conflict("The counter is paused; resume it to call visitors.")));
  }

  /**
   * The counter, if the caller is staff of an organisation serving at its point; with
   * {@code session}, it must be open or paused, by the caller.
   */
  private Future<QueueRepository.Counter> staffedCounter(UUID counterId, Caller caller, boolean session) {
    return queue.counterFor(pool, counterId, caller.organisationId()).compose(found -> {
      QueueRepository.Counter counter = found.getKey();
      if (!found.getValue() && !caller.isSysadmin()) {
        return Future.failedFuture(Problem.forbidden("Only staff of an organisation serving at this service point may do this."));
      }
      if (!session) {
        return Future.succeededFuture(counter);
      }
      if (!counter.staffed()) {
        return Future.failedFuture(Problem.conflict("The counter is not open; open it first."));
      }
      if (!counter.staffId().equals(caller.staffId())) {
        return Future.failedFuture(Problem.forbidden("Another member of staff is serving at this counter."));
      }
      return Future.succeededFuture(counter);
    });
  }

  /** Passes when the caller is staff of an organisation serving at the point (or a system administrator). */
  Future<Void> servesAt(UUID point, Caller caller) {
    if (caller.isSysadmin()) {
      return Future.succeededFuture();
    }
    return queue.servesAt(pool, point, caller.organisationId()).compose(serves -> serves
        ? Future.succeededFuture()
        : Future.failedFuture(Problem.forbidden("Only staff of an organisation serving at this service point may do this.")));
  }
}
