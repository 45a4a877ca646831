package se.servicepunkt.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * What the database spent its time on during a run, from {@code pg_stat_statements} (loaded by
 * {@link StandaloneDatabase}): the statements with the most execution time, with their calls and
 * mean time. Empty when the extension is not available (another PostgreSQL).
 */
final class StatementReport {
  private static final String TOP = """
      SELECT calls, total_exec_time, mean_exec_time, rows,
        regexp_replace(left(query, 4000), '\\s+', ' ', 'g') AS query
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT $1""";
  private static final String TOTAL = """
      SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())""";

  private final Pool db;
  private boolean available;

  StatementReport(Pool db) {
    this.db = db;
  }

  /** Forgets what was counted so far (the setup's statements); the run's count starts now. */
  void reset() {
    try {
      db.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").execute().await();
      db.query("SELECT pg_stat_statements_reset()").execute().await();
      available = true;
    } catch (RuntimeException e) {
      System.out.println("pg_stat_statements is not available (" + e.getMessage() + "); no statement report");
    }
  }

  /** The {@code limit} statements with the most execution time since {@link #reset}. */
  String report(int limit) {
    if (!available) {
      return "";
    }
    double total = db.query(TOTAL).execute().await().iterator().next().getDouble(0);
    var out = new StringBuilder(String.format("Database time by statement (pg_stat_statements; %.0f s in all):%n", total / 1e3));
    for (Row row : db.preparedQuery(TOP).execute(Tuple.of(limit)).await()) {
      double ms = row.getDouble("total_exec_time");
      String query = row.getString("query");
      out.append(String.format("  %5.1f %%  %7.1f s  %8d calls  %7.2f ms mean  %s%n", total == 0 ? 0 : 100 * ms / total,
          ms / 1e3, row.getLong("calls"), row.getDouble("mean_exec_time"),
          query.length() > 220 ? query.substring(0, 220) + " …" : query));
    }
    return out.toString();
  }
}
