package se.servicepunkt.db;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries in a Maven package, with its data in a
 * folder that survives restarts. Used when no external database is configured.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "servicepunkt";

  /**
   * What a commit survives. The library starts its servers for tests ({@code postgres -F}, fsync
   * off, and {@code synchronous_commit=off}); these settings are passed after that flag as
   * {@code -c name=value}, and PostgreSQL takes the last value given on its command line.
   */
  public enum Durability {
    /**
     * A power cut loses nothing that was acknowledged and corrupts nothing: each commit is
     * flushed to disk before the client hears of it, and whole pages are logged so a torn write
     * can be repaired. What the server runs on.
     */
    DURABLE(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on")),
    /**
     * Nothing is flushed: a crash of the machine may lose commits or corrupt the data. Only for
     * data that is thrown away (tests).
     */
    DISPOSABLE(Map.of("fsync", "off", "synchronous_commit", "off"));

    private final Map<String, String> settings;

    Durability(Map<String, String> settings) {
      this.settings = settings;
    }
  }

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (or restarts on existing data) the server whose data lives in {@code folder}. Blocking. */
  public static EmbeddedDatabase start(Path folder, Durability durability) {
    return start(folder, durability, Map.of());
  }

  /**
   * Starts the server with further settings ({@code -c name=value}) beside the durability's, such
   * as a benchmark's {@code shared_preload_libraries}. Blocking.
   */
  public static EmbeddedDatabase start(Path folder, Durability durability, Map<String, String> settings) {
    EmbeddedPostgres postgres;
    try {
      Files.createDirectories(folder);
      var builder = EmbeddedPostgres.builder()
          .setDataDirectory(folder.toFile())
          .setCleanDataDirectory(false);
      durability.settings.forEach(builder::setServerConfig);
      settings.forEach(builder::setServerConfig);
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new DatabaseException("cannot start the embedded PostgreSQL in " + folder.toAbsolutePath()
          + " (is another server using that folder?): " + rootMessage(e), e);
    }
    var database = new EmbeddedDatabase(postgres);
    database.createDatabase(DATABASE);
    LOG.info("Embedded PostgreSQL on port {} with data in {} ({})", postgres.getPort(), folder.toAbsolutePath().normalize(),
        durability.name().toLowerCase(Locale.ROOT));
    return database;
  }

  /** Creates a database on this server unless it exists. Blocking. */
  public void createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("unsafe database name " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  public PgConnectOptions connectOptions(String database) {
    return new PgConnectOptions()
        .setHost("localhost")
        .setPort(postgres.getPort())
        .setDatabase(database)
        .setUser("postgres")
        .setPassword("postgres");
  }

  public PgConnectOptions connectOptions() {
    return connectOptions(DATABASE);
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
