package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.ServicePoint;

/**
 * Who may do what in a queue. Staff of an organisation serving at a point (its host or a member)
 * see its queue and open its counters; only the member of staff holding a counter's session calls
 * to it; administrators of the host manage its display tokens.
 *
 * <p>Joint operation: at a point several organisations serve, a visitor's ticket belongs to the
 * organisation whose service it is for. Its staff (any role: staff, admin, manager, reception) call,
 * recall, start, finish, mark as no-show, return and transfer it, and see its details (the booking's
 * name and reference, the priority reason, the outcome). Staff of the other organisations see that
 * it exists (number, service, status, counter: what the reception screen shows anyway), nothing
 * more, and cannot act on it; the {@code reception} role may also transfer it to any service at the
 * point (sending a visitor to the right desk), nothing else. The system administrator may do all.
 */
final class QueueAccess {
  private static final String NOT_SERVING = "Only staff of an organisation serving at this service point may do this.";
  private static final String NOT_OWN = "Only staff of the organisation whose service this ticket is for may do this"
      + " (reception may transfer it).";

  private final Pool pool;
  private final TicketRepository tickets;
  private final CounterSessions counters;
  private final DirectoryQueries directory;

  QueueAccess(Pool pool, TicketRepository tickets, CounterSessions counters, DirectoryQueries directory) {
    this.pool = pool;
    this.tickets = tickets;
    this.counters = counters;
    this.directory = directory;
  }

  /** Passes when the caller is staff of an organisation serving at the point (or a system administrator). */
  Future<Void> servesAt(UUID point, Caller caller) {
    if (caller.isSysadmin()) {
      return Future.succeededFuture();
    }
    return counters.servesAt(pool, point, caller.organisationId()).compose(serves -> serves
        ? Future.succeededFuture()
        : Future.failedFuture(Problem.forbidden(NOT_SERVING)));
  }

  /** The point, if the caller serves at it. */
  Future<ServicePoint> staffPoint(UUID pointId, Caller caller) {
    return directory.point(pool, pointId).compose(point -> servesAt(point.id(), caller).map(point));
  }

  /** The point, if the caller administers its host organisation. */
  Future<ServicePoint> adminPoint(UUID pointId, Caller caller) {
    return directory.point(pool, pointId).map(caller.ifAdminOf(ServicePoint::organisationId));
  }

  /** The ticket, if the caller serves at its point (they see it; whether its details too: {@link #ownTicket}). */
  Future<Ticket> staffTicket(UUID id, Caller caller) {
    return tickets.byId(pool, id).compose(ticket -> servesAt(ticket.servicePointId(), caller).map(ticket));
  }

  /** The ticket, if the caller may act on it: staff of its service's organisation serving at its point. */
  Future<Ticket> actingTicket(UUID id, Caller caller) {
    return staffTicket(id, caller).compose(ticket -> ownTicket(ticket, caller)
        ? Future.succeededFuture(ticket)
        : Future.failedFuture(Problem.forbidden(NOT_OWN)));
  }

  /** The ticket, if the caller may transfer it: as {@link #actingTicket}, or reception serving at its point. */
  Future<Ticket> transferableTicket(UUID id, Caller caller) {
    return staffTicket(id, caller).compose(ticket -> ownTicket(ticket, caller) || caller.roles().contains(Caller.RECEPTION)
        ? Future.succeededFuture(ticket)
        : Future.failedFuture(Problem.forbidden(NOT_OWN)));
  }

  /** Whether the ticket is for a service of the caller's organisation (always, for the system administrator). */
  static boolean ownTicket(Ticket ticket, Caller caller) {
    return caller.isSysadmin() || ticket.organisationId().equals(caller.organisationId());
  }

  /** Whether {@code caller} sees the details of tickets of {@code organisation}'s services. */
  static boolean seesDetails(UUID organisation, Caller caller) {
    return caller != null && (caller.isSysadmin() || organisation != null && organisation.equals(caller.organisationId()));
  }

  /**
   * A ticket's JSON as {@code caller} may see it: for staff of another organisation than the one
   * whose service it is, without the priority reason (only that there is one), the outcome and the
   * booking (name and reference). Changes and returns {@code ticket}; visitors ({@code caller} null)
   * are handled by the route.
   */
  static JsonObject shownTo(JsonObject ticket, Caller caller) {
    if (caller != null && !seesDetails(Input.parseUuid(ticket.getString("organisationId")), caller)) {
      ticket.put("priorityReason", null).put("outcome", null).remove("booking");
    }
    return ticket;
  }

  /** A queue snapshot ({@code tickets}, counters, waiting) as {@code caller} may see it: a copy, its tickets {@link #shownTo}. */
  static JsonObject queueShownTo(JsonObject snapshot, Caller caller) {
    JsonObject copy = snapshot.copy();
    JsonArray list = copy.getJsonArray("tickets");
    if (list != null) {
      list.forEach(ticket -> shownTo((JsonObject) ticket, caller));
    }
    return copy;
  }

  /** Refuses a ticket that is not for a service of the caller's organisation. */
  static Future<Ticket> own(Ticket ticket, Caller caller) {
    return ownTicket(ticket, caller) ? Future.succeededFuture(ticket) : Future.failedFuture(Problem.forbidden(NOT_OWN));
  }

  /** The counter, if the caller serves at its point. */
  Future<StaffedCounter> counter(UUID counterId, Caller caller) {
    return counters.forOrganisation(pool, counterId, caller.organisationId()).compose(found ->
        found.serves() || caller.isSysadmin()
            ? Future.succeededFuture(found.counter())
            : Future.failedFuture(Problem.forbidden(NOT_SERVING)));
  }

  /** The counter, its session open or paused and held by the caller. */
  Future<StaffedCounter> heldCounter(UUID counterId, Caller caller) {
    return counter(counterId, caller).compose(counter -> {
      if (!counter.staffed()) {
        return Future.failedFuture(Problem.conflict("The counter is not open; open it first."));
      }
      if (!counter.staffId().equals(caller.staffId())) {
        return Future.failedFuture(Problem.forbidden("Another member of staff is serving at this counter."));
      }
      return Future.succeededFuture(counter);
    });
  }

  /** The counter, its session open (not paused) and held by the caller: it may call visitors. */
  Future<StaffedCounter> callingCounter(UUID counterId, Caller caller) {
    return heldCounter(counterId, caller).compose(counter -> counter.open()
        ? Future.succeededFuture(counter)
        : Future.failedFuture(Problem.conflict("The counter is paused; resume it to call visitors.")));
  }
}
