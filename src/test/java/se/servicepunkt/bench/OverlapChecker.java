package se.servicepunkt.bench;

import io.vertx.sqlclient.SqlClient;

/** Counts pairs of active bookings that hold the same member of staff at overlapping times: a double booking. */
public final class OverlapChecker {
  private static final String OVERLAPS = """
      SELECT count(*) FROM booking a JOIN booking b
        ON a.staff_id = b.staff_id AND a.id < b.id AND a.period && b.period
      WHERE a.status = 'active' AND b.status = 'active'""";

  private OverlapChecker() {
  }

  public static long overlaps(SqlClient db) {
    return db.query(OVERLAPS).execute().await().iterator().next().getLong(0);
  }
}
