package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.BiFunction;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.Service;

/**
 * A visit after the call: recall, start, finish, no-show, back to the queue, transfer to another
 * service, and the expiry of what is left at closing. An invalid transition answers 409 and
 * changes nothing.
 */
final class Visits {
  private final Pool pool;
  private final TicketRepository tickets;
  private final QueueChanges changes;
  private final QueueAccess access;
  private final DirectoryQueries directory;
  private final Clock clock;

  Visits(Pool pool, TicketRepository tickets, QueueChanges changes, QueueAccess access, DirectoryQueries directory,
         Clock clock) {
    this.pool = pool;
    this.tickets = tickets;
    this.changes = changes;
    this.access = access;
    this.directory = directory;
    this.clock = clock;
  }

  Future<Ticket> recall(UUID id, Caller caller) {
    return byStaff(id, caller, "ticket-recalled", (tx, now) -> tickets.recall(tx, id, now), "recalled");
  }

  Future<Ticket> start(UUID id, Caller caller) {
    return byStaff(id, caller, "ticket-started", (tx, now) -> tickets.start(tx, id, now), "started");
  }

  Future<Ticket> finish(UUID id, Caller caller, String outcome) {
    return byStaff(id, caller, "ticket-finished", (tx, now) -> tickets.finish(tx, id, now, outcome), "finished");
  }

  Future<Ticket> noShow(UUID id, Caller caller) {
    return byStaff(id, caller, "ticket-no-show", (tx, now) -> tickets.noShow(tx, id, now), "marked as no-show");
  }

  /** Back to waiting: a called visitor who is not served now keeps their place. */
  Future<Ticket> returnToQueue(UUID id, Caller caller) {
    return byStaff(id, caller, "ticket-returned", (tx, now) -> tickets.returnToQueue(tx, id), "returned to the queue");
  }

  /**
   * To another service at the same point (of any organisation serving there), keeping the original
   * arrival time (and booked time): by staff of the ticket's organisation, or by reception.
   */
  Future<Ticket> transfer(UUID id, Caller caller, UUID serviceId) {
    return access.transferableTicket(id, caller).compose(ticket -> directory.pointAndService(pool, ticket.servicePointId(), serviceId)
        .compose(found -> {
          Service service = found.service();
          var in = Input.of(new JsonObject());
          in.check(service != null, "serviceId", "is not a known service");
          in.check(service == null || found.offered(), "serviceId", "is not offered at this service point");
          in.check(service == null || !found.offered() || service.channels().contains(ticket.channel()), "serviceId",
              "is not offered on the ticket's channel");
          in.done();
          return change(ticket, "ticket-transferred", (tx, now) -> tickets.transfer(tx, id, serviceId),
              "transferred (it is closed, or already for that service)");
        }));
  }

  /** Expires what is still waiting or called at the point on local dates up to {@code through}. */
  Future<Integer> expire(UUID point, LocalDate through) {
    Instant now = clock.instant();
    return changes.run(change -> tickets.expire(change.tx(), point, through, now).compose(expired -> {
      Future<Ticket> chain = Future.succeededFuture();
      for (Ticket ticket : expired) {
        chain = chain.compose(v -> change.ticket(ticket, "ticket-expired"));
      }
      return chain.map(expired.size());
    }));
  }

  private Future<Ticket> byStaff(UUID id, Caller caller, String type,
                                 BiFunction<SqlClient, Instant, Future<Ticket>> update, String verb) {
    return access.actingTicket(id, caller).compose(ticket -> change(ticket, type, update, verb));
  }

  private Future<Ticket> change(Ticket ticket, String type, BiFunction<SqlClient, Instant, Future<Ticket>> update,
                                String verb) {
    Instant now = clock.instant();
    return changes.run(change -> update.apply(change.tx(), now).compose(changed -> changed != null
        ? change.ticket(changed, type)
        : Future.failedFuture(Problem.conflict("The ticket is " + ticket.status() + "; it cannot be " + verb + "."))));
  }
}
