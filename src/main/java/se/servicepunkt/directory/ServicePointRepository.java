package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SQL for service points, the organisations serving at them and the services offered there. */
final class ServicePointRepository {
  static final String WHAT = "The service point";

  /** A service point's editable fields, already checked. */
  record Fields(String name, String kind, String timeZone, String street, String postalCode, String city,
                String description) {
  }

  private static final String LIST = """
      SELECT p.id, p.organisation_id, o.name AS organisation_name, p.name, p.kind, p.time_zone,
             p.street, p.postal_code, p.city, p.description
      FROM service_point p JOIN organisation o ON o.id = p.organisation_id
      WHERE ($1::uuid IS NULL OR p.organisation_id = $1)
        AND ($2::uuid IS NULL OR p.organisation_id = $2
             OR EXISTS (SELECT 1 FROM service_point_member m WHERE m.service_point_id = p.id AND m.organisation_id = $2))
      ORDER BY p.name, p.id""";
  private static final String FIND = """
      SELECT p.id, p.organisation_id, o.name AS organisation_name, p.name, p.kind, p.time_zone,
             p.street, p.postal_code, p.city, p.description
      FROM service_point p JOIN organisation o ON o.id = p.organisation_id
      WHERE p.id = $1""";
  private static final String INSERT = """
      INSERT INTO service_point (organisation_id, name, kind, time_zone, street, postal_code, city, description)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""";
  private static final String UPDATE = """
      UPDATE service_point SET name = $2, kind = $3, time_zone = $4, street = $5, postal_code = $6, city = $7,
             description = $8
      WHERE id = $1""";
  private static final String DELETE = "DELETE FROM service_point WHERE id = $1";
  private static final String HAS_SHIFTS = "SELECT EXISTS (SELECT 1 FROM shift WHERE service_point_id = $1)";
  private static final String ORGANISATIONS = """
      SELECT o.id, o.name, true AS host, true AS shares_statistics
      FROM service_point p JOIN organisation o ON o.id = p.organisation_id
      WHERE p.id = $1
      UNION ALL
      SELECT o.id, o.name, false, m.shares_statistics
      FROM service_point_member m JOIN organisation o ON o.id = m.organisation_id
      WHERE m.service_point_id = $1
      ORDER BY host DESC, name""";
  private static final String SERVES_HERE = """
      SELECT EXISTS (SELECT 1 FROM service_point WHERE id = $1 AND organisation_id = $2)
          OR EXISTS (SELECT 1 FROM service_point_member WHERE service_point_id = $1 AND organisation_id = $2)""";
  private static final String ADD_MEMBER = """
      INSERT INTO service_point_member (service_point_id, organisation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING""";
  private static final String REMOVE_MEMBER = """
      DELETE FROM service_point_member WHERE service_point_id = $1 AND organisation_id = $2""";
  private static final String SHARE_STATISTICS = """
      UPDATE service_point_member SET shares_statistics = $3 WHERE service_point_id = $1 AND organisation_id = $2""";
  private static final String OFFERS_SERVICES_OF = """
      SELECT EXISTS (SELECT 1 FROM service_offering f JOIN service s ON s.id = f.service_id
                     WHERE f.service_point_id = $1 AND s.organisation_id = $2)""";
  private static final String OFFERED = """
      SELECT s.id, s.organisation_id, s.name_sv, s.name_en, s.ticket_letter, s.duration_minutes, s.channels,
             s.min_notice_minutes, s.horizon_days, s.cancel_cutoff_minutes, s.wait_target_minutes
      FROM service_offering f JOIN service s ON s.id = f.service_id
      WHERE f.service_point_id = $1 ORDER BY s.name_sv, s.id""";
  private static final String OFFER = """
      INSERT INTO service_offering (service_point_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING""";
  private static final String WITHDRAW = "DELETE FROM service_offering WHERE service_point_id = $1 AND service_id = $2";

  Future<List<ServicePoint>> list(SqlClient db, UUID organisation) {
    return list(db, organisation, null);
  }

  /**
   * @param organisation only points it hosts, or null
   * @param serving only points where it serves (hosts, or is a member of the joint operation), or null
   */
  Future<List<ServicePoint>> list(SqlClient db, UUID organisation, UUID serving) {
    return Rows.list(db.preparedQuery(LIST).mapping(ServicePoint::from).execute(Tuple.of(organisation, serving)));
  }

  Future<ServicePoint> find(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(FIND).mapping(ServicePoint::from).execute(Tuple.of(id)), WHAT);
  }

  Future<UUID> insert(SqlClient db, UUID organisation, Fields f) {
    return db.preparedQuery(INSERT)
        .execute(Tuple.of(organisation, f.name(), f.kind(), f.timeZone(), f.street(), f.postalCode(), f.city(),
            f.description()))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  Future<Void> update(SqlClient db, UUID id, Fields f) {
    return Rows.changed(db.preparedQuery(UPDATE)
        .execute(Tuple.of(id, f.name(), f.kind(), f.timeZone(), f.street(), f.postalCode(), f.city(),
            f.description())), WHAT);
  }

  Future<Void> delete(SqlClient db, UUID id) {
    return Rows.changed(db.preparedQuery(DELETE).execute(Tuple.of(id)), WHAT);
  }

  /** Whether staff shifts are planned at the point (they would otherwise vanish with it). */
  Future<Boolean> hasShifts(SqlClient db, UUID id) {
    return db.preparedQuery(HAS_SHIFTS).execute(Tuple.of(id)).map(rows -> rows.iterator().next().getBoolean(0));
  }

  Future<List<JsonObject>> organisations(SqlClient db, UUID id) {
    return Rows.list(db.preparedQuery(ORGANISATIONS)
        .mapping(row -> new JsonObject()
            .put("id", row.getUUID("id").toString())
            .put("name", row.getString("name"))
            .put("host", row.getBoolean("host"))
            .put("sharesStatistics", row.getBoolean("shares_statistics")))
        .execute(Tuple.of(id)));
  }

  Future<Boolean> servesHere(SqlClient db, UUID point, UUID organisation) {
    return db.preparedQuery(SERVES_HERE).execute(Tuple.of(point, organisation))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  Future<Void> addMember(SqlClient db, UUID point, UUID organisation) {
    return db.preparedQuery(ADD_MEMBER).execute(Tuple.of(point, organisation)).mapEmpty();
  }

  Future<Void> removeMember(SqlClient db, UUID point, UUID organisation) {
    return Rows.changed(db.preparedQuery(REMOVE_MEMBER).execute(Tuple.of(point, organisation)),
        "That organisation's membership");
  }

  /**
   * Whether a member of the point's joint operation shares its statistics' service breakdown of
   * the point with the host; false when the organisation is no member (nothing changed).
   */
  Future<Boolean> shareStatistics(SqlClient db, UUID point, UUID organisation, boolean shared) {
    return db.preparedQuery(SHARE_STATISTICS).execute(Tuple.of(point, organisation, shared))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<Boolean> offersServicesOf(SqlClient db, UUID point, UUID organisation) {
    return db.preparedQuery(OFFERS_SERVICES_OF).execute(Tuple.of(point, organisation))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  Future<List<Service>> offered(SqlClient db, UUID point) {
    return Rows.list(db.preparedQuery(OFFERED).mapping(Service::from).execute(Tuple.of(point)));
  }

  Future<Void> offer(SqlClient db, UUID point, UUID service) {
    return db.preparedQuery(OFFER).execute(Tuple.of(point, service)).mapEmpty();
  }

  Future<Void> withdraw(SqlClient db, UUID point, UUID service) {
    return Rows.changed(db.preparedQuery(WITHDRAW).execute(Tuple.of(point, service)), "That offering");
  }
}
