package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** SQL for shifts. The exclusion constraint on {@code shift} keeps one person's shifts from overlapping. */
final class ShiftRepository {
  static final String WHAT = "The shift";

  /** A shift's fields, already checked. */
  record Fields(UUID staffId, UUID servicePointId, String channel, OffsetDateTime start, OffsetDateTime end) {
  }

  /**
   * Filters: service point, staff member, the caller's organisation (admins) or the caller
   * (staff), and local dates in each point's own zone (from defaults to today there, to to 28
   * days after from).
   */
  private static final String LIST = """
      SELECT h.id, h.staff_id, s.organisation_id, h.service_point_id, p.time_zone, h.channel,
             lower(h.period) AS starts_at, upper(h.period) AS ends_at
      FROM shift h JOIN staff s ON s.id = h.staff_id JOIN service_point p ON p.id = h.service_point_id
      WHERE ($1::uuid IS NULL OR h.service_point_id = $1)
        AND ($2::uuid IS NULL OR h.staff_id = $2)
        AND ($3::uuid IS NULL OR s.organisation_id = $3)
        AND ($4::uuid IS NULL OR h.staff_id = $4)
        AND h.period && tstzrange(
              coalesce($5::date, (now() AT TIME ZONE p.time_zone)::date)::timestamp AT TIME ZONE p.time_zone,
              (coalesce($6::date, coalesce($5::date, (now() AT TIME ZONE p.time_zone)::date) + 28) + 1)::timestamp
                AT TIME ZONE p.time_zone)
      ORDER BY lower(h.period), h.id""";
  private static final String FIND = """
      SELECT h.id, h.staff_id, s.organisation_id, h.service_point_id, p.time_zone, h.channel,
             lower(h.period) AS starts_at, upper(h.period) AS ends_at
      FROM shift h JOIN staff s ON s.id = h.staff_id JOIN service_point p ON p.id = h.service_point_id
      WHERE h.id = $1""";
  private static final String INSERT = """
      INSERT INTO shift (staff_id, service_point_id, channel, period) VALUES ($1, $2, $3, tstzrange($4, $5, '[)'))
      RETURNING id""";
  private static final String UPDATE = """
      UPDATE shift SET staff_id = $2, service_point_id = $3, channel = $4, period = tstzrange($5, $6, '[)')
      WHERE id = $1""";
  private static final String DELETE = "DELETE FROM shift WHERE id = $1";
  private static final String STAFF_ORGANISATION = "SELECT organisation_id FROM staff WHERE id = $1";

  Future<List<Shift>> list(SqlClient db, UUID point, UUID staff, UUID organisationScope, UUID staffScope,
                           LocalDate from, LocalDate to) {
    return Rows.list(db.preparedQuery(LIST).mapping(Shift::from)
        .execute(Tuple.tuple(java.util.Arrays.asList(point, staff, organisationScope, staffScope, from, to))));
  }

  Future<Shift> find(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(FIND).mapping(Shift::from).execute(Tuple.of(id)), WHAT);
  }

  Future<UUID> insert(SqlClient db, Fields f) {
    return db.preparedQuery(INSERT).execute(Tuple.of(f.staffId(), f.servicePointId(), f.channel(), f.start(), f.end()))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  Future<Void> update(SqlClient db, UUID id, Fields f) {
    return Rows.changed(db.preparedQuery(UPDATE)
        .execute(Tuple.of(id, f.staffId(), f.servicePointId(), f.channel(), f.start(), f.end())), WHAT);
  }

  Future<Void> delete(SqlClient db, UUID id) {
    return Rows.changed(db.preparedQuery(DELETE).execute(Tuple.of(id)), WHAT);
  }

  /** The organisation of a member of staff; fails as 404 when there is no such person. */
  Future<UUID> staffOrganisation(SqlClient db, UUID staff) {
    return Rows.one(db.preparedQuery(STAFF_ORGANISATION).mapping(row -> row.getUUID(0)).execute(Tuple.of(staff)),
        StaffRepository.WHAT);
  }
}
