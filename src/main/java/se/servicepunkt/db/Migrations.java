package se.servicepunkt.db;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the Flyway migrations from the top-level {@code sql/} folder. Blocking: call it off the event loop. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static void apply(PgConnectOptions options) {
    String url = jdbcUrl(options);
    Flyway flyway = Flyway.configure()
        .dataSource(url, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .connectRetries(0)
        .load();
    try {
      var result = flyway.migrate();
      LOG.info("Database schema at version {} ({} migrations applied now)",
          result.targetSchemaVersion != null ? result.targetSchemaVersion : flyway.info().current().getVersion(),
          result.migrationsExecuted);
    } catch (FlywayException e) {
      String message = EmbeddedDatabase.rootMessage(e);
      if (message.contains("Connection") || message.contains("connect") || message.contains("authentication")
          || message.contains("does not exist")) {
        throw new DatabaseException("cannot connect to the database at " + describe(options) + ": " + message, e);
      }
      throw new DatabaseException("database migration failed: " + firstLine(e.getMessage()), e);
    }
  }

  static String jdbcUrl(PgConnectOptions o) {
    String url = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    if (o.getSslMode() != null && o.getSslMode() != io.vertx.pgclient.SslMode.DISABLE) {
      url += "?sslmode=" + o.getSslMode().name().toLowerCase().replace('_', '-');
    }
    return url;
  }

  /** Host, port and database, without credentials, for messages. */
  public static String describe(PgConnectOptions o) {
    return o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    return text.lines().filter(l -> !l.isBlank()).findFirst().orElse(text).trim();
  }
}
