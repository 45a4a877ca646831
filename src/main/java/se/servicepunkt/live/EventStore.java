package se.servicepunkt.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code queue_event} table. An event is appended in the transaction of the change it
 * describes; its id comes from the point's {@code queue_state} row, whose lock orders a point's
 * events by commit, so reading "after id N" never skips an event committed later with a lower id.
 * {@code pg_notify} (delivered at commit, payload {@code point:id}) wakes the listeners.
 */
public final class EventStore {
  public static final String CHANNEL = "sp_queue";

  /** How the change moves the count of ordinary visitors called since the last priority visitor. */
  public enum Ratio { KEEP, RESET, COUNT }

  private static final String APPEND = """
      WITH s AS (
        INSERT INTO queue_state AS q (service_point_id, last_event_id, ordinary_since_priority)
        VALUES ($1, 1, CASE $4::int WHEN 1 THEN 1 ELSE 0 END)
        ON CONFLICT (service_point_id) DO UPDATE SET last_event_id = q.last_event_id + 1,
          ordinary_since_priority = CASE $4::int WHEN -1 THEN 0 WHEN 1 THEN q.ordinary_since_priority + 1
                                                 ELSE q.ordinary_since_priority END
        RETURNING last_event_id
      ), e AS (
        INSERT INTO queue_event (service_point_id, id, type, data)
        SELECT $1, last_event_id, $2, $3 FROM s
        RETURNING service_point_id, id, type, data, created_at
      )
      SELECT e.*, pg_notify('""" + CHANNEL + """
      ', $1::text || ':' || e.id) FROM e""";
  private static final String AFTER = """
      SELECT service_point_id, id, type, data, created_at FROM queue_event
      WHERE service_point_id = $1 AND id > $2 ORDER BY id LIMIT $3""";
  private static final String LAST = "SELECT coalesce((SELECT last_event_id FROM queue_state WHERE service_point_id = $1), 0)";
  private static final String PRUNE = "DELETE FROM queue_event WHERE created_at < now() - make_interval(days => $1)";

  /** Appends an event to the point's stream, in the caller's transaction. */
  public Future<QueueEvent> append(SqlClient tx, UUID point, String type, JsonObject data, Ratio ratio) {
    int change = switch (ratio) {
      case KEEP -> 0;
      case RESET -> -1;
      case COUNT -> 1;
    };
    return tx.preparedQuery(APPEND).mapping(QueueEvent::from).execute(Tuple.of(point, type, data, change))
        .map(rows -> rows.iterator().next());
  }

  /** Up to {@code limit} events of the point after {@code id}, in order. */
  public Future<List<QueueEvent>> after(SqlClient db, UUID point, long id, int limit) {
    return db.preparedQuery(AFTER).mapping(QueueEvent::from).execute(Tuple.of(point, id, limit)).map(rows -> {
      var list = new ArrayList<QueueEvent>(rows.size());
      rows.forEach(list::add);
      return list;
    });
  }

  /** The id of the point's last event (0 when there is none yet). */
  public Future<Long> last(SqlClient db, UUID point) {
    return db.preparedQuery(LAST).execute(Tuple.of(point)).map(rows -> rows.iterator().next().getLong(0));
  }

  /** Removes events older than {@code days}; a stream resuming from before them gets a new snapshot. */
  public Future<Integer> prune(SqlClient db, int days) {
    return db.preparedQuery(PRUNE).execute(Tuple.of(days)).map(rows -> rows.rowCount());
  }
}
