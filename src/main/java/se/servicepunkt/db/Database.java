package se.servicepunkt.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.config.ConfigException;

/**
 * Where the data lives: the configured external PostgreSQL, or else an embedded one. Owns the
 * embedded server's life, if there is one.
 */
public final class Database implements AutoCloseable {
  private final PgConnectOptions connectOptions;
  private final EmbeddedDatabase embedded;

  private Database(PgConnectOptions connectOptions, EmbeddedDatabase embedded) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
  }

  /** Connects to or starts the database and applies the migrations. Blocking. */
  public static Database open(AppConfig config) {
    Database database;
    if (config.dbUrl() != null) {
      database = new Database(parse(config.dbUrl()), null);
    } else {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(Path.of(config.dataDir(), "postgres"),
          EmbeddedDatabase.Durability.DURABLE);
      database = new Database(embedded.connectOptions(), embedded);
    }
    try {
      Migrations.apply(database.connectOptions);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  static PgConnectOptions parse(String url) {
    try {
      return PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://"));
    } catch (RuntimeException e) {
      throw new ConfigException("dbUrl (SP_DB_URL) is not a valid postgresql:// URI: " + e.getMessage());
    }
  }

  public Pool pool(Vertx vertx, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("servicepunkt").setShared(false))
        .connectingTo(new PgConnectOptions(connectOptions).setCachePreparedStatements(true))
        .using(vertx)
        .build();
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  public boolean embedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
