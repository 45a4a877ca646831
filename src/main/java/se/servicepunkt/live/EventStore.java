package se.servicepunkt.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Rows;

/**
 * The {@code queue_event} table: an ordered, replayable stream of events per key (a service
 * point). An event is appended in the transaction of the change it describes; its id comes from
 * the key's {@code queue_state} row, whose lock orders a key's events by commit, so reading
 * "after id N" never skips an event committed later with a lower id. {@code pg_notify}
 * (delivered at commit, in commit order) tells the listeners on every instance: its payload is
 * the whole event as JSON ({@code p}: key, {@code i}: id, {@code t}: type, {@code d}: data,
 * {@code a}: time), so that they can publish it without reading it back, or {@code key:id} when
 * the event is too big for a notification (8,000 bytes), and they read it from the table.
 */
public final class EventStore {
  public static final String CHANNEL = "sp_queue";

  private static final String APPEND = """
      WITH s AS (
        INSERT INTO queue_state AS q (service_point_id, last_event_id) VALUES ($1, 1)
        ON CONFLICT (service_point_id) DO UPDATE SET last_event_id = q.last_event_id + 1
        RETURNING last_event_id
      ), e AS (
        INSERT INTO queue_event (service_point_id, id, type, data)
        SELECT $1, last_event_id, $2, $3 FROM s
        RETURNING service_point_id, id, type, data, created_at
      )
      SELECT e.*, pg_notify('sp_queue', CASE WHEN octet_length(n.whole) < 7900 THEN n.whole ELSE $1::text || ':' || e.id END)
      FROM e, LATERAL (SELECT json_build_object('p', e.service_point_id, 'i', e.id, 't', e.type, 'd', e.data,
                                                'a', e.created_at)::text AS whole) n""";
  private static final String AFTER = """
      SELECT service_point_id, id, type, data, created_at FROM queue_event
      WHERE service_point_id = $1 AND id > $2 ORDER BY id LIMIT $3""";
  private static final String LAST = """
      SELECT coalesce((SELECT last_event_id FROM queue_state WHERE service_point_id = $1), 0)""";
  private static final String PRUNE = """
      DELETE FROM queue_event WHERE created_at < now() - make_interval(days => $1)""";

  /** Appends an event to the stream {@code key}, in the caller's transaction. */
  public Future<LiveEvent> append(SqlClient tx, UUID key, String type, JsonObject data) {
    return tx.preparedQuery(APPEND).mapping(LiveEvent::from).execute(Tuple.of(key, type, data))
        .map(rows -> rows.iterator().next());
  }

  /** Up to {@code limit} events of the stream after {@code id}, in order. */
  public Future<List<LiveEvent>> after(SqlClient db, UUID key, long id, int limit) {
    return Rows.list(db.preparedQuery(AFTER).mapping(LiveEvent::from).execute(Tuple.of(key, id, limit)));
  }

  /** The id of the stream's last event (0 when there is none yet). */
  public Future<Long> last(SqlClient db, UUID key) {
    return db.preparedQuery(LAST).execute(Tuple.of(key)).map(rows -> rows.iterator().next().getLong(0));
  }

  /** Removes events older than {@code days}; a stream resuming from before them gets a new snapshot. */
  public Future<Integer> prune(SqlClient db, int days) {
    return db.preparedQuery(PRUNE).execute(Tuple.of(days)).map(rows -> rows.rowCount());
  }
}
