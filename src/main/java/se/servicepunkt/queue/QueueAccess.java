package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Problem;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.ServicePoint;

/**
 * Who may do what in a queue: staff of an organisation serving at a point (its host or a member)
 * see its queue and work its counters and tickets; only the member of staff holding a counter's
 * session calls to it; administrators of the host manage its display tokens.
 */
final class QueueAccess {
  private static final String NOT_SERVING = "Only staff of an organisation serving at this service point may do this.";

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

  /** The ticket, if the caller serves at its point. */
  Future<Ticket> staffTicket(UUID id, Caller caller) {
    return tickets.byId(pool, id).compose(ticket -> servesAt(ticket.servicePointId(), caller).map(ticket));
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
