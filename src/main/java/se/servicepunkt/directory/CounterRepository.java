package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** SQL for counters. */
final class CounterRepository {
  private static final String LIST = """
      SELECT id, service_point_id, name, channel FROM counter WHERE service_point_id = $1 ORDER BY name, id""";
  private static final String INSERT = """
      INSERT INTO counter (service_point_id, name, channel) VALUES ($1, $2, $3)
      RETURNING id, service_point_id, name, channel""";
  private static final String UPDATE = """
      UPDATE counter SET name = $3, channel = $4 WHERE service_point_id = $1 AND id = $2
      RETURNING id, service_point_id, name, channel""";
  private static final String DELETE = "DELETE FROM counter WHERE service_point_id = $1 AND id = $2";

  Future<List<Counter>> list(SqlClient db, UUID point) {
    return Rows.list(db.preparedQuery(LIST).mapping(Counter::from).execute(Tuple.of(point)));
  }

  Future<Counter> insert(SqlClient db, UUID point, String name, String channel) {
    return Rows.one(db.preparedQuery(INSERT).mapping(Counter::from).execute(Tuple.of(point, name, channel)), "The counter");
  }

  Future<Counter> update(SqlClient db, UUID point, UUID counter, String name, String channel) {
    return Rows.one(db.preparedQuery(UPDATE).mapping(Counter::from).execute(Tuple.of(point, counter, name, channel)),
        "The counter");
  }

  Future<Void> delete(SqlClient db, UUID point, UUID counter) {
    return Rows.changed(db.preparedQuery(DELETE).execute(Tuple.of(point, counter)), "The counter");
  }
}
