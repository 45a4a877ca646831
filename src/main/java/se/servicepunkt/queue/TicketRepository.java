package se.servicepunkt.queue;

import se.servicepunkt.core.Times;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Rows;

/**
 * SQL for tickets: numbering, creating, reading, and each change of a visit. A change is one
 * UPDATE that names the states it applies to and returns the whole changed ticket (with its
 * service and counter names, as {@link Ticket#from} reads it), or no row when the ticket was not
 * in such a state. Every change runs in the caller's transaction; numbering runs before it, on
 * its own.
 */
final class TicketRepository {
  static final String TICKET = "The ticket";

  /** A ticket about to be created, already checked. */
  record NewTicket(UUID pointId, UUID serviceId, String channel, LocalDate localDate, String number,
                   byte[] tokenHash, String language, String priorityReason, UUID bookingId, Instant bookedStart,
                   Instant arrivedAt, String videoRoom, byte[] idempotencyKeyHash, byte[] shortCodeHash,
                   byte[] sealedToken) {
  }

  /** What a short link leads to: the ticket and its token, sealed under the link's code. */
  record ShortLink(UUID ticketId, byte[] sealedToken) {
  }

  private static final String NEXT_NUMBER = """
      INSERT INTO ticket_number AS n (service_point_id, local_date, letter, last_number) VALUES ($1, $2, $3, 1)
      ON CONFLICT (service_point_id, local_date, letter) DO UPDATE SET last_number = n.last_number + 1
      RETURNING last_number""";
  private static final String INSERT = """
      INSERT INTO ticket (service_point_id, service_id, channel, local_date, number, token_hash, language,
                          priority_reason, booking_id, booked_start, arrived_at, video_room, idempotency_key_hash,
                          short_code_hash, sealed_token)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id""";
  private static final String BY_SHORT_CODE = "SELECT id, sealed_token FROM ticket WHERE short_code_hash = $1";
  private static final String BY_IDEMPOTENCY_KEY = """
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM ticket t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      WHERE t.service_point_id = $1 AND t.idempotency_key_hash = $2""";
  private static final String BY_ID = """
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM ticket t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      WHERE t.id = $1""";
  private static final String BY_IDS = """
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM ticket t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      WHERE t.id = ANY ($1)""";
  private static final String BY_BOOKING = """
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM ticket t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      WHERE t.booking_id = $1""";
  private static final String BY_BOOKINGS = """
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM ticket t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      WHERE t.booking_id = ANY ($1)""";
  private static final String OPEN_AT = """
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM ticket t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      WHERE t.service_point_id = $1 AND t.status IN ('waiting', 'called', 'serving')
      ORDER BY (t.booked_start IS NULL), t.booked_start, t.arrived_at, t.arrival""";
  /**
   * Takes the next visitor for a counter (see the README's ordering policy): booked visitors whose
   * time has come, by booked time; then everyone else by arrival, priority visitors first once
   * {@code $4} ordinary visitors were called since the last priority one; only services the
   * member of staff handles and their own organisation owns (at a shared point, never another
   * organisation's visitors), only the counter's channels. SKIP LOCKED: a ticket another counter
   * is taking right now is passed over, not waited for. The call is counted towards the ratio by
   * {@link #countCall}, sent with the commit.
   */
  private static final String CALL_NEXT = """
      WITH changed AS (
        UPDATE ticket SET status = 'called', session_id = $6, counter_id = $7, staff_id = $3, called_at = $5
        WHERE id = (
          SELECT t.id FROM ticket t
          WHERE t.service_point_id = $1 AND t.status = 'waiting' AND t.channel = ANY ($2)
            AND t.service_id IN (SELECT k.service_id FROM staff_skill k JOIN staff st ON st.id = k.staff_id
                                 JOIN service sv ON sv.id = k.service_id
                                 WHERE k.staff_id = $3 AND sv.organisation_id = st.organisation_id)
            AND (t.booked_start IS NULL OR t.booked_start <= $5)
          ORDER BY (t.booked_start IS NULL), t.booked_start,
                   CASE WHEN coalesce((SELECT r.ordinary_since_priority FROM queue_call_ratio r
                                       WHERE r.service_point_id = $1), 0) >= $4
                        THEN t.priority_reason IS NULL ELSE t.priority_reason IS NOT NULL END,
                   t.arrived_at, t.arrival
          LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  /** Calls one waiting visitor chosen by staff. */
  private static final String CALL = """
      WITH changed AS (
        UPDATE ticket SET status = 'called', session_id = $2, counter_id = $3, staff_id = $4, called_at = $5
        WHERE id = $1 AND status = 'waiting' AND channel = ANY ($6)
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  /**
   * Counts a call for the priority ratio: ordinary walk-ins called since the last priority
   * visitor (a priority visitor sets it back to 0, a booked one leaves it).
   */
  private static final String COUNT_CALL = """
      INSERT INTO queue_call_ratio AS r (service_point_id, ordinary_since_priority)
      VALUES ($1, CASE WHEN $2 OR $3 THEN 0 ELSE 1 END)
      ON CONFLICT (service_point_id) DO UPDATE SET ordinary_since_priority = CASE
        WHEN $2 THEN 0 WHEN $3 THEN r.ordinary_since_priority ELSE r.ordinary_since_priority + 1 END""";
  private static final String RECALL = """
      WITH changed AS (
        UPDATE ticket SET recalls = recalls + 1, called_at = $2 WHERE id = $1 AND status = 'called'
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  private static final String START = """
      WITH changed AS (
        UPDATE ticket SET status = 'serving', started_at = $2 WHERE id = $1 AND status = 'called'
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  private static final String FINISH = """
      WITH changed AS (
        UPDATE ticket SET status = 'done', finished_at = $2, outcome = $3 WHERE id = $1 AND status = 'serving'
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  private static final String NO_SHOW = """
      WITH changed AS (
        UPDATE ticket SET status = 'no_show', finished_at = $2 WHERE id = $1 AND status = 'called'
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  private static final String TRANSFER = """
      WITH changed AS (
        UPDATE ticket SET status = 'waiting', service_id = $2, session_id = NULL, counter_id = NULL, staff_id = NULL,
               called_at = NULL, started_at = NULL, transfers = transfers + 1
        WHERE id = $1 AND status IN ('waiting', 'called', 'serving') AND service_id <> $2
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  private static final String CANCEL = """
      WITH changed AS (
        UPDATE ticket SET status = 'cancelled', finished_at = $2 WHERE id = $1 AND status = 'waiting'
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  private static final String RETURN_TO_QUEUE = """
      WITH changed AS (
        UPDATE ticket SET status = 'waiting', session_id = NULL, counter_id = NULL, staff_id = NULL, called_at = NULL
        WHERE id = $1 AND status = 'called'
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id""";
  /** Tickets left open after closing: earlier local days, or today once the point has closed. */
  private static final String EXPIRE = """
      WITH changed AS (
        UPDATE ticket SET status = 'expired', finished_at = $3
        WHERE service_point_id = $1 AND status IN ('waiting', 'called') AND local_date <= $2
        RETURNING *
      )
      SELECT t.*, p.time_zone, s.organisation_id, s.name_sv, s.name_en, s.duration_minutes, c.name AS counter_name
      FROM changed t JOIN service_point p ON p.id = t.service_point_id JOIN service s ON s.id = t.service_id
      LEFT JOIN counter c ON c.id = t.counter_id
      ORDER BY t.arrived_at, t.arrival""";
  private static final String POINTS_WITH_OPEN_TICKETS = """
      SELECT DISTINCT service_point_id FROM ticket WHERE status IN ('waiting', 'called')""";

  /**
   * The next number of the letter at the point on its local day. Run it on the pool, as a
   * statement of its own (autocommit), not in the ticket's transaction: the counter's row is
   * locked only while this statement runs.
   */
  Future<Integer> nextNumber(SqlClient db, UUID point, LocalDate date, String letter) {
    return db.preparedQuery(NEXT_NUMBER).execute(Tuple.of(point, date, letter))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  Future<UUID> insert(SqlClient tx, NewTicket t) {
    return tx.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(t.pointId(), t.serviceId(), t.channel(),
            t.localDate(), t.number(), Buffer.buffer(t.tokenHash()), t.language(), t.priorityReason(), t.bookingId(),
            Times.utc(t.bookedStart()), Times.utc(t.arrivedAt()), t.videoRoom(),
            t.idempotencyKeyHash() == null ? null : Buffer.buffer(t.idempotencyKeyHash()),
            t.shortCodeHash() == null ? null : Buffer.buffer(t.shortCodeHash()),
            t.sealedToken() == null ? null : Buffer.buffer(t.sealedToken()))))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  Future<Ticket> byId(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(BY_ID).mapping(Ticket::from).execute(Tuple.of(id)), TICKET);
  }

  Future<List<Ticket>> byIds(SqlClient db, List<UUID> ids) {
    return Rows.list(db.preparedQuery(BY_IDS).mapping(Ticket::from).execute(Tuple.of(ids.toArray(UUID[]::new))));
  }

  /** The walk-in ticket taken at the point with this idempotency key (its hash), or null. */
  Future<Ticket> byIdempotencyKey(SqlClient db, UUID point, byte[] keyHash) {
    return Rows.optional(db.preparedQuery(BY_IDEMPOTENCY_KEY).mapping(Ticket::from)
        .execute(Tuple.of(point, Buffer.buffer(keyHash))));
  }

  /** The ticket a short link's code (its hash) leads to, or null. */
  Future<ShortLink> byShortCode(SqlClient db, byte[] codeHash) {
    return db.preparedQuery(BY_SHORT_CODE).execute(Tuple.of(Buffer.buffer(codeHash))).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return null;
      }
      var row = it.next();
      return new ShortLink(row.getUUID("id"), row.getBuffer("sealed_token").getBytes());
    });
  }

  /** The ticket a booking was checked in as, or null. */
  Future<Ticket> byBooking(SqlClient db, UUID booking) {
    return Rows.optional(db.preparedQuery(BY_BOOKING).mapping(Ticket::from).execute(Tuple.of(booking)));
  }

  /** The tickets these bookings were checked in as (none for a booking not checked in). */
  Future<List<Ticket>> byBookings(SqlClient db, List<UUID> bookings) {
    if (bookings.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Rows.list(db.preparedQuery(BY_BOOKINGS).mapping(Ticket::from)
        .execute(Tuple.tuple().addArrayOfUUID(bookings.toArray(UUID[]::new))));
  }

  /** The point's tickets that are waiting, called or being served, in queue order. */
  Future<List<Ticket>> openAt(SqlClient db, UUID point) {
    return Rows.list(db.preparedQuery(OPEN_AT).mapping(Ticket::from).execute(Tuple.of(point)));
  }

  /** Calls the next visitor for the counter; null when nobody waits for it. */
  Future<Ticket> callNext(SqlClient tx, StaffedCounter counter, int priorityRatio, Instant now) {
    return change(tx, CALL_NEXT, Tuple.of(counter.pointId(), counter.channels().toArray(String[]::new),
        counter.staffId(), priorityRatio, Times.utc(now), counter.sessionId(), counter.id()));
  }

  Future<Ticket> call(SqlClient tx, UUID ticket, StaffedCounter counter, Instant now) {
    return change(tx, CALL, Tuple.of(ticket, counter.sessionId(), counter.id(), counter.staffId(), Times.utc(now),
        counter.channels().toArray(String[]::new)));
  }

  /** Counts the call of {@code ticket} towards the point's priority ratio. */
  Future<Void> countCall(SqlClient tx, Ticket ticket) {
    return tx.preparedQuery(COUNT_CALL)
        .execute(Tuple.of(ticket.servicePointId(), ticket.priorityReason() != null, ticket.bookedStart() != null))
        .mapEmpty();
  }

  Future<Ticket> recall(SqlClient tx, UUID ticket, Instant now) {
    return change(tx, RECALL, Tuple.of(ticket, Times.utc(now)));
  }

  Future<Ticket> start(SqlClient tx, UUID ticket, Instant now) {
    return change(tx, START, Tuple.of(ticket, Times.utc(now)));
  }

  Future<Ticket> finish(SqlClient tx, UUID ticket, Instant now, String outcome) {
    return change(tx, FINISH, Tuple.of(ticket, Times.utc(now), outcome));
  }

  Future<Ticket> noShow(SqlClient tx, UUID ticket, Instant now) {
    return change(tx, NO_SHOW, Tuple.of(ticket, Times.utc(now)));
  }

  Future<Ticket> transfer(SqlClient tx, UUID ticket, UUID service) {
    return change(tx, TRANSFER, Tuple.of(ticket, service));
  }

  Future<Ticket> cancel(SqlClient tx, UUID ticket, Instant now) {
    return change(tx, CANCEL, Tuple.of(ticket, Times.utc(now)));
  }

  /** A called visitor goes back to waiting (their counter closed before serving them). */
  Future<Ticket> returnToQueue(SqlClient tx, UUID ticket) {
    return change(tx, RETURN_TO_QUEUE, Tuple.of(ticket));
  }

  /** Expires the point's waiting and called tickets of local dates up to {@code through}; returns them. */
  Future<List<Ticket>> expire(SqlClient tx, UUID point, LocalDate through, Instant now) {
    return Rows.list(tx.preparedQuery(EXPIRE).mapping(Ticket::from).execute(Tuple.of(point, through, Times.utc(now))));
  }

  Future<List<UUID>> pointsWithOpenTickets(SqlClient db) {
    return Rows.list(db.preparedQuery(POINTS_WITH_OPEN_TICKETS).mapping(row -> row.getUUID(0)).execute());
  }

  /** The changed ticket, or null when it was not in a state the change applies to. */
  private static Future<Ticket> change(SqlClient tx, String update, Tuple args) {
    return Rows.optional(tx.preparedQuery(update).mapping(Ticket::from).execute(args));
  }
}
