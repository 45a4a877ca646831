package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.mail.MailOutbox;
import se.servicepunkt.core.Problem;

/**
 * SQL for bookings. A booking takes a free member of staff in the same statement that checks
 * they are free; the exclusion constraint {@code booking_no_double_booking} is what guarantees
 * it when two requests race for the same person.
 */
final class BookingRepository {
  static final String WHAT = "The booking";

  /** What a new booking holds, already checked. */
  record NewBooking(UUID id, String reference, byte[] tokenHash, UUID servicePointId, UUID serviceId, String channel,
                    Instant start, Instant end, String language, String name, String email, String phone,
                    String videoRoom, UUID createdBy) {
  }

  /**
   * Staff with the skill, on shift at the point on the channel all through the slot, and no other
   * active booking then. The slot may run from one shift into the next (back-to-back shifts): a
   * person's shifts never overlap (an exclusion constraint), so they cover the slot when the
   * parts of it that they hold add up to the whole of it.
   */
  private static final String FREE_STAFF = """
      SELECT h.staff_id FROM shift h
      JOIN staff_skill k ON k.staff_id = h.staff_id AND k.service_id = $2
      JOIN staff st ON st.id = h.staff_id AND st.active
      WHERE h.service_point_id = $1 AND h.channel = $3 AND h.period && tstzrange($4, $5, '[)')
        AND NOT EXISTS (SELECT 1 FROM booking o WHERE o.staff_id = h.staff_id AND o.status = 'active'
                        AND o.period && tstzrange($4, $5, '[)') AND o.id IS DISTINCT FROM $6)
      GROUP BY h.staff_id
      HAVING sum(upper(h.period * tstzrange($4, $5, '[)')) - lower(h.period * tstzrange($4, $5, '[)'))) = $5 - $4
      ORDER BY random() LIMIT 1""";
  /** Takes a free person and returns the whole booking, in one statement. */
  /**
   * Takes a free person, inserts the booking with the id {@code $15}, queues its confirmation and
   * reminders in the outbox ({@code $16..$18}, see {@link MailOutbox#QUEUE_NEW_BOOKING}) and
   * returns the whole booking: one statement, one round trip.
   */
  private static final String INSERT = """
      WITH free AS (""" + FREE_STAFF + """
      ), b AS (
        INSERT INTO booking (id, reference, manage_token_hash, service_point_id, service_id, staff_id, channel, period,
                             language, name, email, phone, video_room, created_by)
        SELECT $15, $7, $8, $1, $2, free.staff_id, $3, tstzrange($4, $5, '[)'), $9, $10, $11, $12, $13, $14 FROM free
        RETURNING *
      ), """ + MailOutbox.QUEUE_NEW_BOOKING + """

      """ + Booking.SELECT.replace("FROM booking b", "FROM b");
  private static final String MOVE = """
      WITH free AS (""" + FREE_STAFF + """
      )
      UPDATE booking SET staff_id = free.staff_id, period = tstzrange($4, $5, '[)'), sequence = sequence + 1,
             updated_at = now()
      FROM free WHERE booking.id = $6 AND booking.status = 'active'
      RETURNING booking.id""";
  private static final String CANCEL = """
      UPDATE booking SET status = 'cancelled', cancelled_at = now(), sequence = sequence + 1, updated_at = now()
      WHERE id = $1 AND status = 'active'""";
  private static final String BY_REFERENCE = Booking.SELECT + " WHERE b.reference = $1";
  private static final String BY_ID = Booking.SELECT + " WHERE b.id = $1";
  private static final String BY_IDS = Booking.SELECT + " WHERE b.id = ANY ($1)";
  /** Bookings of the organisation's services (or all, for a null organisation) at local dates of each point. */
  private static final String LIST = Booking.SELECT + """
       WHERE ($1::uuid IS NULL OR s.organisation_id = $1)
        AND ($2::uuid IS NULL OR b.service_point_id = $2)
        AND b.period && tstzrange($3::date::timestamp AT TIME ZONE p.time_zone,
                                  ($4::date + 1)::timestamp AT TIME ZONE p.time_zone)
      ORDER BY lower(b.period), b.reference""";
  private static final String SHIFTS = """
      SELECT h.staff_id, lower(h.period) AS starts_at, upper(h.period) AS ends_at FROM shift h
      JOIN staff_skill k ON k.staff_id = h.staff_id AND k.service_id = $2
      JOIN staff st ON st.id = h.staff_id AND st.active
      WHERE h.service_point_id = $1 AND h.channel = $3 AND h.period && tstzrange($4, $5)""";
  /**
   * One row per person, their busy times as two arrays of epoch seconds: far cheaper to read
   * than a row each. {@code date_part} gives a double; {@code extract} would go through numeric
   * and doubled the query's time.
   */
  private static final String BUSY = """
      SELECT b.staff_id,
             array_agg(date_part('epoch', lower(b.period))::bigint) AS starts,
             array_agg(date_part('epoch', upper(b.period))::bigint) AS ends
      FROM booking b
      WHERE b.status = 'active' AND b.period && tstzrange($2, $3) AND b.staff_id = ANY ($1)
      GROUP BY b.staff_id""";

  /** Inserts with a free member of staff; null when nobody is free. */
  Future<Booking> insert(SqlClient tx, NewBooking b, List<Object> mailParameters) {
    var values = new java.util.ArrayList<Object>(Arrays.asList(b.servicePointId(), b.serviceId(), b.channel(),
        utc(b.start()), utc(b.end()), null, b.reference(), Buffer.buffer(b.tokenHash()), b.language(), b.name(),
        b.email(), b.phone(), b.videoRoom(), b.createdBy(), b.id()));
    values.addAll(mailParameters);
    return tx.preparedQuery(INSERT).mapping(Booking::from)
        .execute(Tuple.tuple(values))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** Moves an active booking to a new time with a free member of staff; false when nobody is free. */
  Future<Boolean> move(SqlClient tx, Booking booking, Instant start, Instant end) {
    return tx.preparedQuery(MOVE)
        .execute(Tuple.tuple(Arrays.asList(booking.servicePointId(), booking.serviceId(), booking.channel(),
            utc(start), utc(end), booking.id())))
        .map(rows -> rows.size() == 1);
  }

  Future<Void> cancel(SqlClient tx, UUID id) {
    return tx.preparedQuery(CANCEL).execute(Tuple.of(id)).compose(rows -> rows.rowCount() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("The booking is already cancelled.")));
  }

  Future<Booking> byReference(SqlClient db, String reference) {
    return db.preparedQuery(BY_REFERENCE).mapping(Booking::from).execute(Tuple.of(reference))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.notFound(WHAT))
            : Future.succeededFuture(rows.iterator().next()));
  }

  Future<Booking> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).mapping(Booking::from).execute(Tuple.of(id)).map(rows -> rows.iterator().next());
  }

  Future<List<Booking>> byIds(SqlClient db, List<UUID> ids) {
    return db.preparedQuery(BY_IDS).mapping(Booking::from).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
      var list = new java.util.ArrayList<Booking>(rows.size());
      rows.forEach(list::add);
      return list;
    });
  }

  Future<List<Booking>> list(SqlClient db, UUID organisation, UUID point, java.time.LocalDate from,
                            java.time.LocalDate to) {
    return db.preparedQuery(LIST).mapping(Booking::from)
        .execute(Tuple.tuple(Arrays.asList(organisation, point, from, to)))
        .map(rows -> {
          var list = new java.util.ArrayList<Booking>(rows.size());
          rows.forEach(list::add);
          return list;
        });
  }

  /** Shifts of staff who could take the service at the point on the channel, overlapping [from, to). */
  Future<List<Slots.Span>> shifts(SqlClient db, UUID point, UUID service, String channel, Instant from, Instant to) {
    return spans(db.preparedQuery(SHIFTS).mapping(BookingRepository::span)
        .execute(Tuple.of(point, service, channel, utc(from), utc(to))));
  }

  /** Active bookings of these staff overlapping [from, to), whatever they are for, by person. */
  Future<java.util.Map<UUID, Slots.Timeline>> busy(SqlClient db, List<UUID> staff, Instant from, Instant to) {
    if (staff.isEmpty()) {
      return Future.succeededFuture(java.util.Map.of());
    }
    return db.preparedQuery(BUSY)
        .execute(Tuple.tuple().addArrayOfUUID(staff.toArray(UUID[]::new)).addOffsetDateTime(utc(from))
            .addOffsetDateTime(utc(to)))
        .map(rows -> {
          var busy = new java.util.HashMap<UUID, Slots.Timeline>();
          for (var row : rows) {
            busy.put(row.getUUID("staff_id"),
                Slots.Timeline.ofSeconds(row.getArrayOfLongs("starts"), row.getArrayOfLongs("ends")));
          }
          return busy;
        });
  }

  private static Slots.Span span(io.vertx.sqlclient.Row row) {
    return new Slots.Span(row.getUUID("staff_id"), row.getOffsetDateTime("starts_at").toInstant(),
        row.getOffsetDateTime("ends_at").toInstant());
  }

  private static Future<List<Slots.Span>> spans(Future<io.vertx.sqlclient.RowSet<Slots.Span>> rows) {
    return rows.map(set -> {
      var list = new java.util.ArrayList<Slots.Span>(set.size());
      set.forEach(list::add);
      return list;
    });
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
