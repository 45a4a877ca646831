package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Rows;
import se.servicepunkt.core.Times;

/** SQL for what a queue looks like from outside: who waits for what, each visitor's place, the latest calls. */
final class WaitingQueries {
  /** A waiting visitor's place: how many of the same service and channel are ahead. */
  record Place(UUID ticketId, UUID serviceId, String channel, int ahead) {
  }

  /**
   * Per service and channel offered at the point: open counters (each open session's channels
   * made distinct once, then joined to its staff's skills, rather than once per session and
   * skill) and minutes per visitor (the last 20 visits of the past two weeks, else the service's
   * duration). {@code %1$s} adds a common table expression, {@code %2$s} the waiting column and
   * {@code %3$s} its join: the summary counts the waiting there; a visitor's estimate needs only
   * the pace, since their place says how many are ahead.
   */
  private static final String PACE = """
      WITH offered AS (
        SELECT s.id, s.duration_minutes, ch.channel
        FROM service_offering o JOIN service s ON s.id = o.service_id
        CROSS JOIN LATERAL unnest(s.channels) AS ch (channel)
        WHERE o.service_point_id = $1
      ), open_channels AS (
        SELECT DISTINCT cs.id, cs.staff_id, ch.channel
        FROM counter_session cs JOIN counter c ON c.id = cs.counter_id
        CROSS JOIN LATERAL unnest(cs.channels) AS ch (channel)
        WHERE c.service_point_id = $1 AND cs.status = 'open'
      ), counters AS (
        SELECT k.service_id, o.channel, count(*) AS n
        FROM open_channels o JOIN staff_skill k ON k.staff_id = o.staff_id
        GROUP BY k.service_id, o.channel
      )%1$s
      SELECT f.id AS service_id, f.channel, %2$s AS waiting, coalesce(c.n, 0) AS counters,
        coalesce((SELECT avg(extract(epoch FROM d.finished_at - d.started_at)) / 60 FROM (
           SELECT started_at, finished_at FROM ticket d WHERE d.service_point_id = $1 AND d.service_id = f.id
             AND d.status = 'done' AND d.started_at IS NOT NULL AND d.finished_at > $2::timestamptz - interval '14 days'
           ORDER BY d.finished_at DESC LIMIT 20) d), f.duration_minutes)::float8 AS minutes
      FROM offered f%3$s
      LEFT JOIN counters c ON c.service_id = f.id AND c.channel = f.channel
      ORDER BY f.id, f.channel""";
  /** The pace and how many wait, counted in one pass over the point's waiting visitors. */
  private static final String WAITING = PACE.formatted("""
      , waiting AS (
        SELECT t.service_id, t.channel, count(*) AS n FROM ticket t
        WHERE t.service_point_id = $1 AND t.status = 'waiting' GROUP BY t.service_id, t.channel
      )""", "coalesce(w.n, 0)", """

      LEFT JOIN waiting w ON w.service_id = f.id AND w.channel = f.channel""");
  private static final String PACE_ONLY = PACE.formatted("", "NULL::bigint", "");

  /**
   * Ahead of a visitor: those of the same service and channel with an earlier place (booked time,
   * else arrival). Ranked in one pass over the point's waiting visitors, so reading the places of
   * many visitors costs one sort, not a count per visitor. Every waiting visitor's place comes
   * back and the watched ones are picked here, not by a join in the statement. The join's plan
   * rested on the table's statistics: a connection that prepared it while the table was small or
   * not yet analysed kept a generic plan that joined them by a nested loop, each watched visitor
   * with each waiting one, until the table's next analysis. In the system benchmark's morning rush
   * that read took up to 116 ms (1,300 watched of 1,700 waiting; 181 ms in {@code EXPLAIN ANALYZE},
   * 2.2 million rows compared), where the ranking alone takes 2–4 ms whatever the plan.
   */
  private static final String PLACES = """
      SELECT t.id, t.service_id, t.channel, rank() OVER (PARTITION BY t.service_id, t.channel
          ORDER BY coalesce(t.booked_start, t.arrived_at), t.arrived_at, t.arrival) - 1 AS ahead
      FROM ticket t WHERE t.service_point_id = $1 AND t.status = 'waiting'""";
  /**
   * The same count for a few visitors, each from the index of the waiting in the queue's order
   * ({@code ticket_waiting_order_idx}): reads only those ahead of each, where the rank above sorts
   * the whole queue (for a new ticket's answer and a stream's first state).
   */
  private static final String PLACES_OF_FEW = """
      SELECT w.id, w.service_id, w.channel, (
          SELECT count(*) FROM ticket a
          WHERE a.service_point_id = w.service_point_id AND a.status = 'waiting'
            AND a.service_id = w.service_id AND a.channel = w.channel
            AND (coalesce(a.booked_start, a.arrived_at), a.arrived_at, a.arrival)
              < (coalesce(w.booked_start, w.arrived_at), w.arrived_at, w.arrival)) AS ahead
      FROM ticket w
      WHERE w.id = ANY ($2::uuid[]) AND w.service_point_id = $1 AND w.status = 'waiting'""";
  /** Up to this many visitors, their places are counted each from the index; more are ranked in one pass. */
  static final int FEW = 16;
  private static final String RECENT_CALLS = """
      SELECT t.number, c.name AS counter_name, t.called_at, t.status FROM ticket t JOIN counter c ON c.id = t.counter_id
      WHERE t.service_point_id = $1 AND t.local_date = $2 AND t.called_at IS NOT NULL
      ORDER BY t.called_at DESC LIMIT $3""";

  /** Per service and channel offered at the point: how many wait, open counters, minutes per visitor. */
  Future<List<Waiting>> waiting(SqlClient db, UUID point, Instant now) {
    return Rows.list(db.preparedQuery(WAITING)
        .mapping(row -> new Waiting(row.getUUID("service_id"), row.getString("channel"),
            row.getLong("waiting").intValue(), row.getLong("counters").intValue(), row.getDouble("minutes")))
        .execute(Tuple.of(point, Times.utc(now))));
  }

  /** Per service and channel offered at the point: open counters and minutes per visitor, without counting who waits. */
  Future<List<Waiting.Pace>> pace(SqlClient db, UUID point, Instant now) {
    return Rows.list(db.preparedQuery(PACE_ONLY)
        .mapping(row -> new Waiting.Pace(row.getUUID("service_id"), row.getString("channel"),
            row.getLong("counters").intValue(), row.getDouble("minutes")))
        .execute(Tuple.of(point, Times.utc(now))));
  }

  /** The places of those of {@code tickets} (at {@code point}) that are waiting. */
  Future<List<Place>> places(SqlClient db, UUID point, List<UUID> tickets) {
    if (tickets.size() <= FEW) {
      return Rows.list(db.preparedQuery(PLACES_OF_FEW).mapping(WaitingQueries::place)
          .execute(Tuple.tuple().addUUID(point).addArrayOfUUID(tickets.toArray(UUID[]::new))));
    }
    var watched = new java.util.HashSet<>(tickets);
    return Rows.list(db.preparedQuery(PLACES).mapping(WaitingQueries::place).execute(Tuple.of(point)))
        .map(all -> all.stream().filter(place -> watched.contains(place.ticketId())).toList());
  }

  private static Place place(io.vertx.sqlclient.Row row) {
    return new Place(row.getUUID("id"), row.getUUID("service_id"), row.getString("channel"),
        row.getLong("ahead").intValue());
  }

  /** The last calls of the point's local day, newest first: number and counter only, times in {@code zone}. */
  Future<List<JsonObject>> recentCalls(SqlClient db, UUID point, LocalDate date, int limit, ZoneId zone) {
    return Rows.list(db.preparedQuery(RECENT_CALLS)
        .mapping(row -> new JsonObject().put("number", row.getString("number"))
            .put("counterName", row.getString("counter_name"))
            .put("calledAt", Times.iso(row.getOffsetDateTime("called_at"), zone)).put("status", row.getString("status")))
        .execute(Tuple.of(point, date, limit)));
  }
}
