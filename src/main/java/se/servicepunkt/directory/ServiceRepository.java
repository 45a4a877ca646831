package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SQL for services. */
final class ServiceRepository {
  static final String WHAT = "The service";

  /** A service's editable fields, already checked. */
  record Fields(String nameSv, String nameEn, String ticketLetter, int durationMinutes, List<String> channels,
                int minNoticeMinutes, int horizonDays, int cancelCutoffMinutes, int waitTargetMinutes) {
    Tuple tuple(UUID first) {
      return Tuple.tuple(List.of(first, nameSv, nameEn, ticketLetter, durationMinutes))
          .addArrayOfString(channels.toArray(String[]::new))
          .addInteger(minNoticeMinutes).addInteger(horizonDays).addInteger(cancelCutoffMinutes)
          .addInteger(waitTargetMinutes);
    }
  }

  private static final String LIST = """
      SELECT s.id, s.organisation_id, s.name_sv, s.name_en, s.ticket_letter, s.duration_minutes, s.channels,
             s.min_notice_minutes, s.horizon_days, s.cancel_cutoff_minutes, s.wait_target_minutes
      FROM service s
      WHERE ($1::uuid IS NULL OR s.organisation_id = $1)
        AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM service_offering f
                                         WHERE f.service_id = s.id AND f.service_point_id = $2))
      ORDER BY s.name_sv, s.id""";
  private static final String FIND = """
      SELECT s.id, s.organisation_id, s.name_sv, s.name_en, s.ticket_letter, s.duration_minutes, s.channels,
             s.min_notice_minutes, s.horizon_days, s.cancel_cutoff_minutes, s.wait_target_minutes
      FROM service s WHERE s.id = $1""";
  private static final String INSERT = """
      INSERT INTO service (organisation_id, name_sv, name_en, ticket_letter, duration_minutes, channels,
                           min_notice_minutes, horizon_days, cancel_cutoff_minutes, wait_target_minutes)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id""";
  private static final String UPDATE = """
      UPDATE service SET name_sv = $2, name_en = $3, ticket_letter = $4, duration_minutes = $5, channels = $6,
             min_notice_minutes = $7, horizon_days = $8, cancel_cutoff_minutes = $9, wait_target_minutes = $10
      WHERE id = $1""";
  private static final String DELETE = "DELETE FROM service WHERE id = $1";

  Future<List<Service>> list(SqlClient db, UUID organisation, UUID servicePoint) {
    return Rows.list(db.preparedQuery(LIST).mapping(Service::from).execute(Tuple.of(organisation, servicePoint)));
  }

  Future<Service> find(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(FIND).mapping(Service::from).execute(Tuple.of(id)), WHAT);
  }

  Future<UUID> insert(SqlClient db, UUID organisation, Fields fields) {
    return db.preparedQuery(INSERT).execute(fields.tuple(organisation)).map(rows -> rows.iterator().next().getUUID(0));
  }

  Future<Void> update(SqlClient db, UUID id, Fields fields) {
    return Rows.changed(db.preparedQuery(UPDATE).execute(fields.tuple(id)), WHAT);
  }

  Future<Void> delete(SqlClient db, UUID id) {
    return Rows.changed(db.preparedQuery(DELETE).execute(Tuple.of(id)), WHAT);
  }
}
