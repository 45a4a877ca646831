package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SQL for staff accounts and their skills. */
final class StaffRepository {
  static final String WHAT = "The member of staff";

  /** A member of staff's editable fields, already checked; a null password hash keeps the old one. */
  record Fields(String email, String displayName, List<String> roles, boolean active, String passwordHash) {
    Fields withHash(String hash) {
      return new Fields(email, displayName, roles, active, hash);
    }
  }

  private static final String LIST = """
      SELECT s.id, s.organisation_id, s.email, s.display_name, s.roles, s.active,
             coalesce(array_agg(k.service_id ORDER BY k.service_id) FILTER (WHERE k.service_id IS NOT NULL), '{}') AS skills
      FROM staff s LEFT JOIN staff_skill k ON k.staff_id = s.id
      WHERE ($1::uuid IS NULL OR s.organisation_id = $1) GROUP BY s.id ORDER BY s.display_name, s.id""";
  private static final String FIND = """
      SELECT s.id, s.organisation_id, s.email, s.display_name, s.roles, s.active,
             coalesce(array_agg(k.service_id ORDER BY k.service_id) FILTER (WHERE k.service_id IS NOT NULL), '{}') AS skills
      FROM staff s LEFT JOIN staff_skill k ON k.staff_id = s.id
      WHERE s.id = $1 GROUP BY s.id""";
  private static final String INSERT = """
      INSERT INTO staff (organisation_id, email, display_name, roles, active, password_hash)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""";
  private static final String UPDATE = """
      UPDATE staff SET email = $2, display_name = $3, roles = $4, active = $5,
             password_hash = coalesce($6, password_hash)
      WHERE id = $1""";
  private static final String DELETE = "DELETE FROM staff WHERE id = $1";
  private static final String CLEAR_SKILLS = "DELETE FROM staff_skill WHERE staff_id = $1";
  private static final String ADD_SKILLS = """
      INSERT INTO staff_skill (staff_id, service_id) SELECT $1, unnest($2::uuid[])""";
  private static final String COUNT_SERVICES_OF = """
      SELECT count(*) FROM service WHERE id = ANY($1::uuid[]) AND organisation_id = $2""";

  Future<List<Staff>> list(SqlClient db, UUID organisation) {
    return Rows.list(db.preparedQuery(LIST).mapping(Staff::from).execute(Tuple.of(organisation)));
  }

  Future<Staff> find(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(FIND).mapping(Staff::from).execute(Tuple.of(id)), WHAT);
  }

  Future<UUID> insert(SqlClient db, UUID organisation, Fields f) {
    return db.preparedQuery(INSERT)
        .execute(Tuple.of(organisation, f.email(), f.displayName(), f.roles().toArray(String[]::new), f.active(),
            f.passwordHash()))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  Future<Void> update(SqlClient db, UUID id, Fields f) {
    return Rows.changed(db.preparedQuery(UPDATE)
        .execute(Tuple.of(id, f.email(), f.displayName(), f.roles().toArray(String[]::new), f.active(),
            f.passwordHash())), WHAT);
  }

  Future<Void> delete(SqlClient db, UUID id) {
    return Rows.changed(db.preparedQuery(DELETE).execute(Tuple.of(id)), WHAT);
  }

  /** Whether every one of {@code services} belongs to {@code organisation}. */
  Future<Boolean> allServicesOf(SqlClient db, List<UUID> services, UUID organisation) {
    return db.preparedQuery(COUNT_SERVICES_OF).execute(Tuple.tuple().addArrayOfUUID(services.toArray(UUID[]::new)).addUUID(organisation))
        .map(rows -> rows.iterator().next().getLong(0) == services.size());
  }

  Future<Void> replaceSkills(SqlClient tx, UUID staff, List<UUID> services) {
    return tx.preparedQuery(CLEAR_SKILLS).execute(Tuple.of(staff))
        .compose(v -> tx.preparedQuery(ADD_SKILLS).execute(Tuple.of(staff).addArrayOfUUID(services.toArray(UUID[]::new))))
        .mapEmpty();
  }
}
