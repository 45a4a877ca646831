package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;

/**
 * Counters and calls: a member of staff opens a counter (a session), pauses, resumes and closes
 * it, and calls visitors to it, the next one by the ordering policy or one they choose.
 */
final class Counters {
  private final Pool pool;
  private final CounterSessions sessions;
  private final TicketRepository tickets;
  private final QueueChanges changes;
  private final QueueAccess access;
  private final Clock clock;
  private final int priorityRatio;

  Counters(Pool pool, CounterSessions sessions, TicketRepository tickets, QueueChanges changes, QueueAccess access,
           Clock clock, int priorityRatio) {
    this.pool = pool;
    this.sessions = sessions;
    this.tickets = tickets;
    this.changes = changes;
    this.access = access;
    this.clock = clock;
    this.priorityRatio = priorityRatio;
  }

  /** The member of staff opens the counter for the channels they take (by default the counter's own). */
  Future<JsonObject> open(UUID counterId, Caller caller, List<String> channels) {
    return access.counter(counterId, caller).compose(counter -> {
      if (counter.staffed()) {
        return Future.failedFuture(Problem.conflict("The counter is already open."));
      }
      List<String> takes = channels != null ? channels : List.of(counter.channel());
      return changes.run(change -> sessions.open(change.tx(), counter.id(), caller.staffId(), takes)
              .compose(session -> change.counter(counter, "counter-opened")))
          .recover(SqlStates.uniqueViolation(() -> Problem.conflict(
              "The counter is already open, or you are serving at another counter.")))
          .compose(v -> sessions.byId(pool, counterId)).map(StaffedCounter::toJson);
    });
  }

  /** Pauses the counter, saying why ({@code reason}, one of {@link StaffedCounter#PAUSE_REASONS}, or null). */
  Future<JsonObject> pause(UUID counterId, Caller caller, String reason) {
    return access.heldCounter(counterId, caller)
        .compose(counter -> move(counter, "open", "paused", "counter-paused", "The counter is not open.", reason));
  }

  Future<JsonObject> resume(UUID counterId, Caller caller) {
    return access.heldCounter(counterId, caller)
        .compose(counter -> move(counter, "paused", "open", "counter-resumed", "The counter is not paused.", null));
  }

  /** Closes the counter once nobody called to it waits to be served. */
  Future<JsonObject> close(UUID counterId, Caller caller) {
    return access.heldCounter(counterId, caller).compose(counter -> sessions.busy(pool, counter.sessionId())
        .compose(busy -> busy > 0
            ? Future.failedFuture(Problem.conflict(
                "Finish, return or mark as no-show the visitors called to this counter first."))
            : move(counter, counter.sessionStatus(), "closed", "counter-closed", "The counter is not open.", null)));
  }

  /** Calls the next visitor for the counter; null when nobody waits for it. */
  Future<Ticket> callNext(UUID counterId, Caller caller) {
    return access.callingCounter(counterId, caller).compose(counter -> {
      Instant now = clock.instant();
      return changes.run(change -> tickets.callNext(change.tx(), counter, priorityRatio, now)
          .compose(ticket -> ticket == null ? Future.succeededFuture() : called(change, ticket)));
    });
  }

  /**
   * Calls one waiting visitor chosen by staff (even a booked visitor before their time): only a
   * visitor of a service of the caller's organisation.
   */
  Future<Ticket> call(UUID counterId, UUID ticketId, Caller caller) {
    return access.callingCounter(counterId, caller).compose(counter -> tickets.byId(pool, ticketId).compose(ticket -> {
      if (!ticket.servicePointId().equals(counter.pointId())) {
        return Future.failedFuture(Problem.invalid("ticketId", "is not a ticket of this service point"));
      }
      if (!QueueAccess.ownTicket(ticket, caller)) {
        return QueueAccess.own(ticket, caller);
      }
      Instant now = clock.instant();
      return changes.run(change -> tickets.call(change.tx(), ticketId, counter, now).compose(called -> called != null
          ? called(change, called)
          : Future.failedFuture(Problem.conflict(!counter.channels().contains(ticket.channel())
              ? "The counter does not take " + ticket.channel() + " visitors."
              : "The ticket is " + ticket.status() + ", not waiting; it cannot be called."))));
    }));
  }

  /** A visitor was called: the event, and the call counted towards the priority ratio at commit. */
  private Future<Ticket> called(QueueChanges.Change change, Ticket ticket) {
    change.atCommit(tx -> tickets.countCall(tx, ticket));
    return change.ticket(ticket, "ticket-called");
  }

  /** Moves the counter's session (already checked to be the caller's) from one status to another. */
  private Future<JsonObject> move(StaffedCounter counter, String from, String to, String type, String invalid,
                                  String reason) {
    return changes.run(change -> sessions.move(change.tx(), counter.sessionId(), from, to, clock.instant(), reason)
            .compose(moved -> moved ? change.counter(counter, type, reason) : Future.failedFuture(Problem.conflict(invalid))))
        .compose(v -> sessions.byId(pool, counter.id())).map(StaffedCounter::toJson);
  }
}
