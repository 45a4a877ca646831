package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.LiveEvent;

/**
 * How the queue changes: each change runs in one transaction that also appends its events to
 * the point's stream; once it commits, the events go to this instance's streams at once (other
 * instances hear of them through NOTIFY). What an event carries is decided here: the ticket as
 * {@link Ticket#eventJson} shows it, or the counter, and the point's waiting summary after the
 * change; never anything personal.
 */
final class QueueChanges {
  private final Pool pool;
  private final EventStore events;
  private final Consumer<LiveEvent> committed;
  private final WaitingQueries waiting;
  private final Clock clock;

  /** @param committed receives each event once its transaction has committed (this instance's fan-out) */
  QueueChanges(Pool pool, EventStore events, Consumer<LiveEvent> committed, WaitingQueries waiting, Clock clock) {
    this.pool = pool;
    this.events = events;
    this.committed = committed;
    this.waiting = waiting;
    this.clock = clock;
  }

  /** A change in progress: its transaction, and the events it has written so far. */
  final class Change {
    private final SqlClient tx;
    private final List<LiveEvent> written;

    private Change(SqlClient tx, List<LiveEvent> written) {
      this.tx = tx;
      this.written = written;
    }

    SqlClient tx() {
      return tx;
    }

    /** The event of a ticket's change, with the point's waiting summary after it; passes the ticket on. */
    Future<Ticket> ticket(Ticket ticket, String type) {
      return withWaiting(ticket.servicePointId(), type, new JsonObject().put("ticket", ticket.eventJson())).map(ticket);
    }

    /** The event of a counter opening, pausing, resuming or closing, with the waiting summary after it. */
    Future<Void> counter(StaffedCounter counter, String type) {
      return withWaiting(counter.pointId(), type,
          new JsonObject().put("counter", new JsonObject().put("id", counter.id().toString()).put("name", counter.name())));
    }

    /** The event that ends the streams of a revoked display token, on every instance. */
    Future<Void> displayTokenRevoked(UUID point, UUID token) {
      return append(point, "display-token-revoked",
          new JsonObject().put("displayToken", new JsonObject().put("id", token.toString())));
    }

    private Future<Void> withWaiting(UUID point, String type, JsonObject data) {
      return waiting.waiting(tx, point, clock.instant())
          .compose(summary -> append(point, type,
              data.put("waiting", new JsonArray(summary.stream().map(Waiting::toJson).toList()))));
    }

    private Future<Void> append(UUID point, String type, JsonObject data) {
      return events.append(tx, point, type, data).onSuccess(written::add).mapEmpty();
    }
  }

  /** Runs {@code work} in one transaction; its events reach this instance's streams once it commits. */
  <T> Future<T> run(Function<Change, Future<T>> work) {
    List<LiveEvent> written = new CopyOnWriteArrayList<>();
    return pool.withTransaction(tx -> work.apply(new Change(tx, written)))
        .onSuccess(result -> written.forEach(committed));
  }
}
