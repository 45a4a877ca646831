package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SQL for organisations. */
final class OrganisationRepository {
  private static final String LIST = "SELECT id, name FROM organisation ORDER BY name";
  private static final String FIND = "SELECT id, name FROM organisation WHERE id = $1";
  private static final String INSERT = "INSERT INTO organisation (name) VALUES ($1) RETURNING id, name";
  private static final String UPDATE = "UPDATE organisation SET name = $2 WHERE id = $1 RETURNING id, name";
  private static final String DELETE = "DELETE FROM organisation WHERE id = $1";

  Future<List<Organisation>> list(SqlClient db) {
    return Rows.list(db.preparedQuery(LIST).mapping(Organisation::from).execute());
  }

  Future<Organisation> find(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(FIND).mapping(Organisation::from).execute(Tuple.of(id)), "The organisation");
  }

  /** The organisation a request body names in {@code organisationId}; unknown is invalid input (422), not 404. */
  Future<Organisation> named(SqlClient db, UUID id) {
    return find(db, id).recover(e -> Future.failedFuture(
        se.servicepunkt.core.Problem.invalid("organisationId", "is not a known organisation")));
  }

  Future<Organisation> insert(SqlClient db, String name) {
    return Rows.one(db.preparedQuery(INSERT).mapping(Organisation::from).execute(Tuple.of(name)), "The organisation");
  }

  Future<Organisation> update(SqlClient db, UUID id, String name) {
    return Rows.one(db.preparedQuery(UPDATE).mapping(Organisation::from).execute(Tuple.of(id, name)), "The organisation");
  }

  Future<Void> delete(SqlClient db, UUID id) {
    return Rows.changed(db.preparedQuery(DELETE).execute(Tuple.of(id)), "The organisation");
  }
}
