package se.servicepunkt.booking;

import se.servicepunkt.core.Times;
import se.servicepunkt.core.Rows;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
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
   * Takes a free person and inserts the booking with the id {@code $14} in one statement, and
   * returns the whole booking: staff with the skill, on shift at the point on the channel all
   * through the slot, and no active booking then. The slot may run from one shift into the next
   * (back-to-back shifts): a person's shifts never overlap (an exclusion constraint), so they cover
   * the slot when the parts of it they hold add up to the whole of it. {@code $15} is the time of
   * the booking.
   */
  private static final String INSERT = """
      WITH free AS (
        SELECT h.staff_id FROM shift h
        JOIN staff_skill k ON k.staff_id = h.staff_id AND k.service_id = $2
        JOIN staff st ON st.id = h.staff_id AND st.active
        WHERE h.service_point_id = $1 AND h.channel = $3 AND h.period && tstzrange($4, $5, '[)')
          AND NOT EXISTS (SELECT 1 FROM booking o WHERE o.staff_id = h.staff_id AND o.status = 'active'
                          AND o.period && tstzrange($4, $5, '[)'))
        GROUP BY h.staff_id
        HAVING sum(upper(h.period * tstzrange($4, $5, '[)')) - lower(h.period * tstzrange($4, $5, '[)'))) = $5 - $4
        ORDER BY random() LIMIT 1
      ), b AS (
        INSERT INTO booking (id, reference, manage_token_hash, service_point_id, service_id, staff_id, channel, period,
                             language, name, email, phone, video_room, created_by, created_at, updated_at)
        SELECT $14, $6, $7, $1, $2, free.staff_id, $3, tstzrange($4, $5, '[)'), $8, $9, $10, $11, $12, $13, $15, $15
        FROM free
        RETURNING *
      )
      SELECT b.id, b.reference, b.manage_token_hash, b.service_point_id, p.name AS point_name, p.time_zone,
             p.street, p.postal_code, p.city, b.service_id, s.organisation_id, s.name_sv, s.name_en,
             s.cancel_cutoff_minutes, b.staff_id, b.channel, lower(b.period) AS starts_at, upper(b.period) AS ends_at,
             b.status, b.language, b.name, b.email, b.phone, b.video_room, b.sequence, b.updated_at
      FROM b JOIN service_point p ON p.id = b.service_point_id JOIN service s ON s.id = b.service_id""";
  /**
   * Moves the active booking {@code $6} to [{@code $4}, {@code $5}) with a free person (staff with
   * the skill, on shift all through the new time, back-to-back shifts joined as in {@link #INSERT},
   * and no other active booking then) at the time {@code $7}.
   */
  private static final String MOVE = """
      WITH free AS (
        SELECT h.staff_id FROM shift h
        JOIN staff_skill k ON k.staff_id = h.staff_id AND k.service_id = $2
        JOIN staff st ON st.id = h.staff_id AND st.active
        WHERE h.service_point_id = $1 AND h.channel = $3 AND h.period && tstzrange($4, $5, '[)')
          AND NOT EXISTS (SELECT 1 FROM booking o WHERE o.staff_id = h.staff_id AND o.status = 'active'
                          AND o.period && tstzrange($4, $5, '[)') AND o.id <> $6)
        GROUP BY h.staff_id
        HAVING sum(upper(h.period * tstzrange($4, $5, '[)')) - lower(h.period * tstzrange($4, $5, '[)'))) = $5 - $4
        ORDER BY random() LIMIT 1
      )
      UPDATE booking SET staff_id = free.staff_id, period = tstzrange($4, $5, '[)'), sequence = sequence + 1,
             updated_at = $7
      FROM free WHERE booking.id = $6 AND booking.status = 'active'
      RETURNING booking.id""";
  private static final String CANCEL = """
      UPDATE booking SET status = 'cancelled', cancelled_at = $2, sequence = sequence + 1, updated_at = $2,
             cancelled_by = $3
      WHERE id = $1 AND status = 'active'""";
  private static final String BY_REFERENCE = """
      SELECT b.id, b.reference, b.manage_token_hash, b.service_point_id, p.name AS point_name, p.time_zone,
             p.street, p.postal_code, p.city, b.service_id, s.organisation_id, s.name_sv, s.name_en,
             s.cancel_cutoff_minutes, b.staff_id, b.channel, lower(b.period) AS starts_at, upper(b.period) AS ends_at,
             b.status, b.language, b.name, b.email, b.phone, b.video_room, b.sequence, b.updated_at
      FROM booking b JOIN service_point p ON p.id = b.service_point_id JOIN service s ON s.id = b.service_id
      WHERE b.reference = $1""";
  private static final String BY_ID = """
      SELECT b.id, b.reference, b.manage_token_hash, b.service_point_id, p.name AS point_name, p.time_zone,
             p.street, p.postal_code, p.city, b.service_id, s.organisation_id, s.name_sv, s.name_en,
             s.cancel_cutoff_minutes, b.staff_id, b.channel, lower(b.period) AS starts_at, upper(b.period) AS ends_at,
             b.status, b.language, b.name, b.email, b.phone, b.video_room, b.sequence, b.updated_at
      FROM booking b JOIN service_point p ON p.id = b.service_point_id JOIN service s ON s.id = b.service_id
      WHERE b.id = $1""";
  private static final String BY_IDS = """
      SELECT b.id, b.reference, b.manage_token_hash, b.service_point_id, p.name AS point_name, p.time_zone,
             p.street, p.postal_code, p.city, b.service_id, s.organisation_id, s.name_sv, s.name_en,
             s.cancel_cutoff_minutes, b.staff_id, b.channel, lower(b.period) AS starts_at, upper(b.period) AS ends_at,
             b.status, b.language, b.name, b.email, b.phone, b.video_room, b.sequence, b.updated_at
      FROM booking b JOIN service_point p ON p.id = b.service_point_id JOIN service s ON s.id = b.service_id
      WHERE b.id = ANY ($1)""";
  /** Bookings of the organisation's services (or all, for a null organisation) at local dates of each point. */
  private static final String LIST = """
      SELECT b.id, b.reference, b.manage_token_hash, b.service_point_id, p.name AS point_name, p.time_zone,
             p.street, p.postal_code, p.city, b.service_id, s.organisation_id, s.name_sv, s.name_en,
             s.cancel_cutoff_minutes, b.staff_id, b.channel, lower(b.period) AS starts_at, upper(b.period) AS ends_at,
             b.status, b.language, b.name, b.email, b.phone, b.video_room, b.sequence, b.updated_at
      FROM booking b JOIN service_point p ON p.id = b.service_point_id JOIN service s ON s.id = b.service_id
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

  /**
   * Inserts the booking with a free person, made at {@code now}; null when nobody is free. A
   * resident's insert fails with {@link EmailAllowance#OVER_CAP} when the address already holds
   * the cap of coming bookings of the service (a trigger, V24).
   */
  Future<Booking> insert(SqlClient tx, NewBooking b, Instant now) {
    return tx.preparedQuery(INSERT).mapping(Booking::from)
        .execute(Tuple.tuple(Arrays.asList(b.servicePointId(), b.serviceId(), b.channel(), Times.utc(b.start()), Times.utc(b.end()),
            b.reference(), Buffer.buffer(b.tokenHash()), b.language(), b.name(), b.email(), b.phone(), b.videoRoom(),
            b.createdBy(), b.id(), Times.utc(now))))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** Moves an active booking to a new time with a free member of staff at {@code now}; false when nobody is free. */
  Future<Boolean> move(SqlClient tx, Booking booking, Instant start, Instant end, Instant now) {
    return tx.preparedQuery(MOVE)
        .execute(Tuple.tuple(Arrays.asList(booking.servicePointId(), booking.serviceId(), booking.channel(),
            Times.utc(start), Times.utc(end), booking.id(), Times.utc(now))))
        .map(rows -> rows.size() == 1);
  }

  /** Cancels; {@code by}: resident or staff (kept for statistics). */
  Future<Void> cancel(SqlClient tx, UUID id, Instant now, String by) {
    return tx.preparedQuery(CANCEL).execute(Tuple.of(id, Times.utc(now), by)).compose(rows -> rows.rowCount() == 1
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
    return Rows.list(db.preparedQuery(BY_IDS).mapping(Booking::from).execute(Tuple.of(ids.toArray(UUID[]::new))));
  }

  Future<List<Booking>> list(SqlClient db, UUID organisation, UUID point, java.time.LocalDate from,
                            java.time.LocalDate to) {
    return Rows.list(db.preparedQuery(LIST).mapping(Booking::from)
        .execute(Tuple.tuple(Arrays.asList(organisation, point, from, to))));
  }

  /** Shifts of staff who could take the service at the point on the channel, overlapping [from, to). */
  Future<List<Slots.Span>> shifts(SqlClient db, UUID point, UUID service, String channel, Instant from, Instant to) {
    return Rows.list(db.preparedQuery(SHIFTS).mapping(BookingRepository::span)
        .execute(Tuple.of(point, service, channel, Times.utc(from), Times.utc(to))));
  }

  /** Active bookings of these staff overlapping [from, to), whatever they are for, by person. */
  Future<java.util.Map<UUID, Slots.Timeline>> busy(SqlClient db, List<UUID> staff, Instant from, Instant to) {
    if (staff.isEmpty()) {
      return Future.succeededFuture(java.util.Map.of());
    }
    return db.preparedQuery(BUSY)
        .execute(Tuple.tuple().addArrayOfUUID(staff.toArray(UUID[]::new)).addOffsetDateTime(Times.utc(from))
            .addOffsetDateTime(Times.utc(to)))
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
}
