package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import se.servicepunkt.core.Problem;

/** SQL for tickets and counter sessions. Every change runs in the caller's transaction. */
final class QueueRepository {
  static final String TICKET = "The ticket";
  static final String COUNTER = "The counter";

  /** A ticket about to be created, already checked. */
  record NewTicket(UUID pointId, UUID serviceId, String channel, LocalDate localDate, String number,
                   byte[] tokenHash, String language, String priorityReason, UUID bookingId, Instant bookedStart,
                   Instant arrivedAt, String videoRoom) {
  }

  /** A counter, with its open (or paused) session if there is one. */
  record Counter(UUID id, UUID pointId, UUID hostOrganisationId, String name, String channel, UUID sessionId,
                 UUID staffId, List<String> channels, String sessionStatus) {
    static Counter from(Row row) {
      String[] channels = row.getArrayOfStrings("channels");
      return new Counter(row.getUUID("id"), row.getUUID("service_point_id"), row.getUUID("organisation_id"),
          row.getString("name"), row.getString("channel"), row.getUUID("session_id"), row.getUUID("staff_id"),
          channels == null ? List.of() : List.of(channels), row.getString("status"));
    }

    boolean open() {
      return "open".equals(sessionStatus);
    }

    boolean staffed() {
      return sessionId != null;
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("name", name).put("channel", channel)
          .put("session", sessionId == null ? null : new JsonObject().put("id", sessionId.toString())
              .put("staffId", staffId.toString()).put("channels", new JsonArray(channels)).put("status", sessionStatus));
    }
  }

  /** Waiting visitors of one service on one channel, and how fast that queue moves. */
  record Waiting(UUID serviceId, String channel, int waiting, int openCounters, double minutesPerVisitor) {
    /** Minutes until a visitor with {@code ahead} people in front of them is called; null when no counter serves it. */
    Integer estimate(int ahead) {
      return openCounters == 0 ? null : (int) Math.ceil(ahead * minutesPerVisitor / openCounters);
    }

    JsonObject toJson() {
      return new JsonObject().put("serviceId", serviceId.toString()).put("channel", channel).put("waiting", waiting)
          .put("openCounters", openCounters).put("estimatedWaitMinutes", estimate(waiting));
    }
  }

  /** A waiting visitor's place: how many of the same service and channel are ahead. */
  record Place(UUID ticketId, UUID serviceId, String channel, int ahead) {
  }

  private static final String NEXT_NUMBER = """
      INSERT INTO ticket_number AS n (service_point_id, local_date, letter, last_number) VALUES ($1, $2, $3, 1)
      ON CONFLICT (service_point_id, local_date, letter) DO UPDATE SET last_number = n.last_number + 1
      RETURNING last_number""";
  private static final String INSERT = """
      INSERT INTO ticket (service_point_id, service_id, channel, local_date, number, token_hash, language,
                          priority_reason, booking_id, booked_start, arrived_at, video_room)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id""";
  private static final String BY_ID = Ticket.SELECT + " WHERE t.id = $1";
  private static final String BY_IDS = Ticket.SELECT + " WHERE t.id = ANY ($1)";
  private static final String BY_BOOKING = Ticket.SELECT + " WHERE t.booking_id = $1";
  private static final String OPEN_AT = Ticket.SELECT + """
       WHERE t.service_point_id = $1 AND t.status IN ('waiting', 'called', 'serving')
      ORDER BY (t.booked_start IS NULL), t.booked_start, t.arrived_at, t.arrival""";
  private static final String COUNTER_BY_ID = """
      SELECT c.id, c.service_point_id, p.organisation_id, c.name, c.channel, cs.id AS session_id, cs.staff_id,
             cs.channels, cs.status
      FROM counter c JOIN service_point p ON p.id = c.service_point_id
      LEFT JOIN counter_session cs ON cs.counter_id = c.id AND cs.status <> 'closed'
      WHERE c.id = $1""";
  /** The counter and whether the organisation {@code $2} serves at its point (host or member). */
  private static final String COUNTER_FOR = COUNTER_BY_ID.replace("FROM counter c", """
      , (p.organisation_id = $2 OR EXISTS (SELECT 1 FROM service_point_member m
           WHERE m.service_point_id = p.id AND m.organisation_id = $2)) AS serves
      FROM counter c""");
  private static final String COUNTERS_AT = COUNTER_BY_ID.replace("WHERE c.id = $1",
      "WHERE c.service_point_id = $1 ORDER BY lower(c.name)");
  private static final String OPEN_SESSION = """
      INSERT INTO counter_session (counter_id, staff_id, channels) VALUES ($1, $2, $3) RETURNING id""";
  private static final String SESSION_STATUS = """
      UPDATE counter_session SET status = $3, closed_at = CASE WHEN $3 = 'closed' THEN $4::timestamptz END
      WHERE id = $1 AND status = $2""";
  private static final String SESSION_BUSY = """
      SELECT count(*) FROM ticket WHERE session_id = $1 AND status IN ('called', 'serving')""";
  private static final String SERVES_AT = """
      SELECT EXISTS (SELECT 1 FROM service_point p WHERE p.id = $1 AND (p.organisation_id = $2
             OR EXISTS (SELECT 1 FROM service_point_member m WHERE m.service_point_id = p.id AND m.organisation_id = $2)))""";
  /**
   * Takes the next visitor for a counter (see the README's ordering policy): booked visitors whose
   * time has come, by booked time; then everyone else by arrival, priority visitors first once
   * {@code $4} ordinary visitors were called since the last priority one; only services the
   * member of staff handles, only the counter's channels. SKIP LOCKED: a ticket another counter
   * is taking right now is passed over, not waited for.
   */
  private static final String CALL_NEXT = returning("""
      UPDATE ticket SET status = 'called', session_id = $6, counter_id = $7, staff_id = $3, called_at = $5
      WHERE id = (
        SELECT t.id FROM ticket t
        WHERE t.service_point_id = $1 AND t.status = 'waiting' AND t.channel = ANY ($2)
          AND t.service_id IN (SELECT k.service_id FROM staff_skill k WHERE k.staff_id = $3)
          AND (t.booked_start IS NULL OR t.booked_start <= $5)
        ORDER BY (t.booked_start IS NULL), t.booked_start,
                 CASE WHEN coalesce((SELECT q.ordinary_since_priority FROM queue_state q WHERE q.service_point_id = $1), 0) >= $4
                      THEN t.priority_reason IS NULL ELSE t.priority_reason IS NOT NULL END,
                 t.arrived_at, t.arrival
        LIMIT 1 FOR UPDATE SKIP LOCKED)""");
  private static final String CALL = returning("""
      UPDATE ticket SET status = 'called', session_id = $2, counter_id = $3, staff_id = $4, called_at = $5
      WHERE id = $1 AND status = 'waiting' AND channel = ANY ($6)""");
  private static final String RECALL = returning("""
      UPDATE ticket SET recalls = recalls + 1, called_at = $2 WHERE id = $1 AND status = 'called'""");
  private static final String START = returning("""
      UPDATE ticket SET status = 'serving', started_at = $2 WHERE id = $1 AND status = 'called'""");
  private static final String FINISH = returning("""
      UPDATE ticket SET status = 'done', finished_at = $2, outcome = $3 WHERE id = $1 AND status = 'serving'""");
  private static final String NO_SHOW = returning("""
      UPDATE ticket SET status = 'no_show', finished_at = $2 WHERE id = $1 AND status = 'called'""");
  private static final String TRANSFER = returning("""
      UPDATE ticket SET status = 'waiting', service_id = $3, session_id = NULL, counter_id = NULL, staff_id = NULL,
             called_at = NULL, started_at = NULL, transfers = transfers + 1
      WHERE id = $1 AND status IN ('waiting', 'called', 'serving') AND service_id <> $3 AND $2::timestamptz IS NOT NULL""");
  private static final String CANCEL = returning("""
      UPDATE ticket SET status = 'cancelled', finished_at = $2 WHERE id = $1 AND status = 'waiting'""");
  private static final String RETURN_TO_QUEUE = returning("""
      UPDATE ticket SET status = 'waiting', session_id = NULL, counter_id = NULL, staff_id = NULL, called_at = NULL
      WHERE id = $1 AND status = 'called' AND $2::timestamptz IS NOT NULL""");
  /** Tickets left open after closing: earlier local days, or today once the point has closed. */
  private static final String EXPIRE = """
      UPDATE ticket SET status = 'expired', finished_at = $3
      WHERE service_point_id = $1 AND status IN ('waiting', 'called') AND local_date <= $2
      RETURNING id""";
  private static final String POINTS_WITH_OPEN_TICKETS = """
      SELECT DISTINCT service_point_id FROM ticket WHERE status IN ('waiting', 'called')""";
  private static final String WAITING = """
      WITH offered AS (
        SELECT s.id, s.duration_minutes, ch.channel
        FROM service_offering o JOIN service s ON s.id = o.service_id
        CROSS JOIN LATERAL unnest(s.channels) AS ch (channel)
        WHERE o.service_point_id = $1
      )
      SELECT f.id AS service_id, f.channel,
        (SELECT count(*) FROM ticket t WHERE t.service_point_id = $1 AND t.status = 'waiting'
           AND t.service_id = f.id AND t.channel = f.channel) AS waiting,
        (SELECT count(*) FROM counter_session cs JOIN counter c ON c.id = cs.counter_id
           JOIN staff_skill k ON k.staff_id = cs.staff_id AND k.service_id = f.id
           WHERE c.service_point_id = $1 AND cs.status = 'open' AND f.channel = ANY (cs.channels)) AS counters,
        coalesce((SELECT avg(extract(epoch FROM d.finished_at - d.started_at)) / 60 FROM (
           SELECT started_at, finished_at FROM ticket d WHERE d.service_point_id = $1 AND d.service_id = f.id
             AND d.status = 'done' AND d.started_at IS NOT NULL AND d.finished_at > $2::timestamptz - interval '14 days'
           ORDER BY d.finished_at DESC LIMIT 20) d), f.duration_minutes)::float8 AS minutes
      FROM offered f ORDER BY f.id, f.channel""";
  /** Ahead of a visitor: the same service and channel, with an earlier place (booked time, else arrival). */
  private static final String PLACES = """
      SELECT t.id, t.service_id, t.channel,
        (SELECT count(*) FROM ticket o WHERE o.service_point_id = t.service_point_id AND o.status = 'waiting'
           AND o.service_id = t.service_id AND o.channel = t.channel
           AND (coalesce(o.booked_start, o.arrived_at), o.arrived_at, o.arrival)
             < (coalesce(t.booked_start, t.arrived_at), t.arrived_at, t.arrival)) AS ahead
      FROM ticket t WHERE t.id = ANY ($1) AND t.status = 'waiting'""";
  private static final String RECENT_CALLS = """
      SELECT t.number, c.name AS counter_name, t.called_at, t.status FROM ticket t JOIN counter c ON c.id = t.counter_id
      WHERE t.service_point_id = $1 AND t.local_date = $2 AND t.called_at IS NOT NULL
      ORDER BY t.called_at DESC LIMIT $3""";

  Future<Integer> nextNumber(SqlClient tx, UUID point, LocalDate date, String letter) {
    return tx.preparedQuery(NEXT_NUMBER).execute(Tuple.of(point, date, letter))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  Future<UUID> insert(SqlClient tx, NewTicket t) {
    return tx.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(t.pointId(), t.serviceId(), t.channel(),
            t.localDate(), t.number(), Buffer.buffer(t.tokenHash()), t.language(), t.priorityReason(), t.bookingId(),
            utc(t.bookedStart()), utc(t.arrivedAt()), t.videoRoom())))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  Future<Ticket> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).mapping(Ticket::from).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.notFound(TICKET))
            : Future.succeededFuture(rows.iterator().next()));
  }

  Future<List<Ticket>> byIds(SqlClient db, List<UUID> ids) {
    return list(db.preparedQuery(BY_IDS).mapping(Ticket::from).execute(Tuple.of(ids.toArray(UUID[]::new))),
        Function.identity());
  }

  /** The ticket a booking was checked in as, or null. */
  Future<Ticket> byBooking(SqlClient db, UUID booking) {
    return db.preparedQuery(BY_BOOKING).mapping(Ticket::from).execute(Tuple.of(booking))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  Future<List<Ticket>> openAt(SqlClient db, UUID point) {
    return list(db.preparedQuery(OPEN_AT).mapping(Ticket::from).execute(Tuple.of(point)), Function.identity());
  }

  Future<Counter> counter(SqlClient db, UUID id) {
    return db.preparedQuery(COUNTER_BY_ID).mapping(Counter::from).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.notFound(COUNTER))
            : Future.succeededFuture(rows.iterator().next()));
  }

  /** The counter, and whether staff of {@code organisation} serve at its point. */
  Future<Map.Entry<Counter, Boolean>> counterFor(SqlClient db, UUID id, UUID organisation) {
    return db.preparedQuery(COUNTER_FOR).execute(Tuple.of(id, organisation)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(Problem.notFound(COUNTER));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(Map.entry(Counter.from(row), Boolean.TRUE.equals(row.getBoolean("serves"))));
    });
  }

  Future<List<Counter>> countersAt(SqlClient db, UUID point) {
    return list(db.preparedQuery(COUNTERS_AT).mapping(Counter::from).execute(Tuple.of(point)), Function.identity());
  }

  Future<UUID> openSession(SqlClient tx, UUID counter, UUID staff, List<String> channels) {
    return tx.preparedQuery(OPEN_SESSION).execute(Tuple.of(counter, staff, channels.toArray(String[]::new)))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  /** Moves a session from one status to another; false when it was not in {@code from}. */
  Future<Boolean> sessionStatus(SqlClient tx, UUID session, String from, String to, Instant now) {
    return tx.preparedQuery(SESSION_STATUS).execute(Tuple.of(session, from, to, utc(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** How many visitors the session has called or is serving. */
  Future<Long> sessionBusy(SqlClient db, UUID session) {
    return db.preparedQuery(SESSION_BUSY).execute(Tuple.of(session)).map(rows -> rows.iterator().next().getLong(0));
  }

  Future<Boolean> servesAt(SqlClient db, UUID point, UUID organisation) {
    return db.preparedQuery(SERVES_AT).execute(Tuple.of(point, organisation))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Calls the next visitor for the counter; null when nobody waits for it. */
  Future<Ticket> callNext(SqlClient tx, Counter counter, int priorityRatio, Instant now) {
    return changed(tx.preparedQuery(CALL_NEXT), Tuple.of(counter.pointId(), counter.channels().toArray(String[]::new),
        counter.staffId(), priorityRatio, utc(now), counter.sessionId(), counter.id()));
  }

  Future<Ticket> call(SqlClient tx, UUID ticket, Counter counter, Instant now) {
    return changed(tx.preparedQuery(CALL), Tuple.of(ticket, counter.sessionId(), counter.id(),
        counter.staffId(), utc(now), counter.channels().toArray(String[]::new)));
  }

  Future<Ticket> recall(SqlClient tx, UUID ticket, Instant now) {
    return changed(tx.preparedQuery(RECALL), Tuple.of(ticket, utc(now)));
  }

  Future<Ticket> start(SqlClient tx, UUID ticket, Instant now) {
    return changed(tx.preparedQuery(START), Tuple.of(ticket, utc(now)));
  }

  Future<Ticket> finish(SqlClient tx, UUID ticket, Instant now, String outcome) {
    return changed(tx.preparedQuery(FINISH), Tuple.of(ticket, utc(now), outcome));
  }

  Future<Ticket> noShow(SqlClient tx, UUID ticket, Instant now) {
    return changed(tx.preparedQuery(NO_SHOW), Tuple.of(ticket, utc(now)));
  }

  Future<Ticket> transfer(SqlClient tx, UUID ticket, Instant now, UUID service) {
    return changed(tx.preparedQuery(TRANSFER), Tuple.of(ticket, utc(now), service));
  }

  Future<Ticket> cancel(SqlClient tx, UUID ticket, Instant now) {
    return changed(tx.preparedQuery(CANCEL), Tuple.of(ticket, utc(now)));
  }

  /** A called visitor goes back to waiting (their counter closed before serving them). */
  Future<Ticket> returnToQueue(SqlClient tx, UUID ticket, Instant now) {
    return changed(tx.preparedQuery(RETURN_TO_QUEUE), Tuple.of(ticket, utc(now)));
  }

  /** Expires the point's waiting and called tickets of local dates up to {@code through}. */
  Future<List<UUID>> expire(SqlClient tx, UUID point, LocalDate through, Instant now) {
    return list(tx.preparedQuery(EXPIRE).execute(Tuple.of(point, through, utc(now))), row -> row.getUUID(0));
  }

  Future<List<UUID>> pointsWithOpenTickets(SqlClient db) {
    return list(db.preparedQuery(POINTS_WITH_OPEN_TICKETS).execute(), row -> row.getUUID(0));
  }

  Future<List<Waiting>> waiting(SqlClient db, UUID point, Instant now) {
    return list(db.preparedQuery(WAITING).execute(Tuple.of(point, utc(now))),
        row -> new Waiting(row.getUUID("service_id"), row.getString("channel"), row.getLong("waiting").intValue(),
            row.getLong("counters").intValue(), row.getDouble("minutes")));
  }

  Future<List<Place>> places(SqlClient db, List<UUID> tickets) {
    return list(db.preparedQuery(PLACES).execute(Tuple.of(tickets.toArray(UUID[]::new))),
        row -> new Place(row.getUUID("id"), row.getUUID("service_id"), row.getString("channel"),
            row.getLong("ahead").intValue()));
  }

  /** The last calls of the point's local day, newest first: number and counter only. */
  Future<List<JsonObject>> recentCalls(SqlClient db, UUID point, LocalDate date, int limit,
                                       Function<OffsetDateTime, String> time) {
    return list(db.preparedQuery(RECENT_CALLS).execute(Tuple.of(point, date, limit)),
        row -> new JsonObject().put("number", row.getString("number")).put("counterName", row.getString("counter_name"))
            .put("calledAt", time.apply(row.getOffsetDateTime("called_at"))).put("status", row.getString("status")));
  }

  /** Wraps an UPDATE of one ticket so that it returns the whole ticket, as {@link Ticket#SELECT} reads it. */
  private static String returning(String update) {
    return "WITH changed AS (" + update + " RETURNING *) " + Ticket.SELECT.replace("FROM ticket t", "FROM changed t");
  }

  /** The changed ticket, or null when it was not in a state the change applies to. */
  private static Future<Ticket> changed(io.vertx.sqlclient.PreparedQuery<io.vertx.sqlclient.RowSet<Row>> update,
                                        Tuple args) {
    return update.mapping(Ticket::from).execute(args).map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private static <R, T> Future<List<T>> list(Future<io.vertx.sqlclient.RowSet<R>> rows, Function<R, T> map) {
    return rows.map(set -> {
      var list = new ArrayList<T>(set.size());
      set.forEach(row -> list.add(map.apply(row)));
      return list;
    });
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
