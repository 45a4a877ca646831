package se.servicepunkt.testing;

import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import se.servicepunkt.db.EmbeddedDatabase;

/**
 * The real PostgreSQL the tests run against: an embedded server started once per test JVM, or
 * the server named by {@code SP_TEST_DB_URL} (a {@code postgresql://} URI of a user who may create
 * databases). Each test class gets a database of its own. The embedded server flushes nothing to
 * disk ({@link EmbeddedDatabase.Durability#DISPOSABLE}): its data is thrown away, and tests of
 * races and throughput would otherwise wait on the disk.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static PgConnectOptions server;
  private static boolean durable;

  private TestDatabase() {
  }

  /**
   * For benchmarks, before the first database is made: the embedded server then runs durable
   * (fsync, synchronous commits), as the server's own embedded database does in production, in a
   * folder of its own ({@code target/bench-postgres}), so the figures measure what runs in production.
   */
  public static synchronized void durable() {
    if (server != null) {
      throw new IllegalStateException("the test database server has already started");
    }
    durable = true;
  }

  /** A new, empty database; returns its {@code postgresql://} URI. */
  public static synchronized String fresh() {
    PgConnectOptions admin = server();
    // the test server's folder outlives a run, and a later run may get the same process id
    String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
        + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36);
    String jdbc = "jdbc:postgresql://" + admin.getHost() + ":" + admin.getPort() + "/" + admin.getDatabase();
    try (var c = DriverManager.getConnection(jdbc, admin.getUser(), admin.getPassword());
         var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
    }
    return "postgresql://" + admin.getUser() + ":" + admin.getPassword() + "@" + admin.getHost() + ":"
        + admin.getPort() + "/" + name;
  }

  private static PgConnectOptions server() {
    if (server == null) {
      String external = System.getenv("SP_TEST_DB_URL");
      if (external != null && !external.isBlank()) {
        server = PgConnectOptions.fromUri(external);
      } else {
        EmbeddedDatabase embedded = durable
            ? EmbeddedDatabase.start(Path.of("target", "bench-postgres", "data"), EmbeddedDatabase.Durability.DURABLE)
            : EmbeddedDatabase.start(Path.of("target", "test-postgres", "data"), EmbeddedDatabase.Durability.DISPOSABLE);
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
        server = embedded.connectOptions("postgres");
      }
    }
    return server;
  }
}
