package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.LiveEvent;

/**
 * How the queue changes: each change runs in one transaction that also appends its events to
 * the point's stream; once it commits, the events go to this instance's streams at once (other
 * instances hear of them through NOTIFY). What an event carries is decided here: the ticket as
 * {@link Ticket#eventJson} shows it, or the counter; never anything personal. The point's waiting
 * summary is not part of a change: {@link WaitingSummaries} reads it after changes, per point.
 *
 * <p>Appending an event locks the point's {@code queue_state} row until commit (that lock is what
 * makes commit order equal id order), and every change at a point needs it. So a change's events,
 * and any other statement that locks a row all of the point's changes share (the priority count),
 * are not written as the work goes: they are sent together with {@code COMMIT} in one pipeline at
 * the end. The shared locks are then held for those statements and the commit's flush only, never
 * across a round trip to this instance, however busy its event loop is.
 */
final class QueueChanges {
  private final Pool pool;
  private final EventStore events;
  private final Consumer<LiveEvent> committed;

  /** @param committed receives each event once its transaction has committed (this instance's fan-out) */
  QueueChanges(Pool pool, EventStore events, Consumer<LiveEvent> committed) {
    this.pool = pool;
    this.events = events;
    this.committed = committed;
  }

  /** A change in progress: its transaction, and what it sends with the commit. */
  final class Change {
    private final SqlClient tx;
    private final List<Supplier<Future<?>>> atCommit = new ArrayList<>();
    private final List<Future<LiveEvent>> appended = new ArrayList<>();

    private Change(SqlClient tx) {
      this.tx = tx;
    }

    SqlClient tx() {
      return tx;
    }

    /** The event of a ticket's change; passes the ticket on. */
    Future<Ticket> ticket(Ticket ticket, String type) {
      append(ticket.servicePointId(), type, new JsonObject().put("ticket", ticket.eventJson()));
      return Future.succeededFuture(ticket);
    }

    /** The event of a counter opening, pausing, resuming or closing. */
    Future<Void> counter(StaffedCounter counter, String type) {
      return counter(counter, type, null);
    }

    /** The same, for a pause with why ({@code pauseReason}; the staff stream shows it, a screen never). */
    Future<Void> counter(StaffedCounter counter, String type, String pauseReason) {
      var json = new JsonObject().put("id", counter.id().toString()).put("name", counter.name());
      if (pauseReason != null) {
        json.put("pauseReason", pauseReason);
      }
      append(counter.pointId(), type, new JsonObject().put("counter", json));
      return Future.succeededFuture();
    }

    /** The event that ends the streams of a revoked display token, on every instance. */
    Future<Void> displayTokenRevoked(UUID point, UUID token) {
      append(point, "display-token-revoked",
          new JsonObject().put("displayToken", new JsonObject().put("id", token.toString())));
      return Future.succeededFuture();
    }

    /**
     * A statement that locks a row every change at the point needs: sent with the commit, after
     * the work and before the events, so its lock is held only while the commit is made.
     */
    void atCommit(Function<SqlClient, Future<?>> statement) {
      atCommit.add(() -> statement.apply(tx));
    }

    private void append(UUID point, String type, JsonObject data) {
      atCommit.add(() -> {
        Future<LiveEvent> event = events.append(tx, point, type, data);
        appended.add(event);
        return event;
      });
    }

    /**
     * Sends the deferred statements and {@code COMMIT} without waiting between them (the
     * connection pipelines them); the change has committed only when every one of them succeeded,
     * since PostgreSQL answers the {@code COMMIT} of a transaction a statement failed in with a
     * rollback, not an error.
     */
    private Future<List<LiveEvent>> commit(SqlConnection conn) {
      List<Future<?>> sent = new ArrayList<>();
      atCommit.forEach(statement -> sent.add(statement.get()));
      sent.add(conn.query("COMMIT").execute());
      return Future.join(sent).transform(all -> {
        for (Future<?> each : sent) {
          if (each.failed()) {
            return Future.failedFuture(each.cause());
          }
        }
        return Future.succeededFuture(appended.stream().map(Future::result).toList());
      });
    }
  }

  /** Runs {@code work} in one transaction; its events reach this instance's streams once it commits. */
  <T> Future<T> run(Function<Change, Future<T>> work) {
    return pool.withConnection(conn -> {
      var change = new Change(conn);
      return conn.query("BEGIN").execute()
          .compose(begun -> work.apply(change))
          .compose(result -> change.commit(conn).map(events -> new Committed<>(result, events)))
          .recover(failure -> conn.query("ROLLBACK").execute().transform(ignored -> Future.failedFuture(failure)));
    }).map(done -> {
      done.events().forEach(committed);
      return done.result();
    });
  }

  private record Committed<T>(T result, List<LiveEvent> events) {
  }
}
