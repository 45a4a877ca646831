package se.servicepunkt.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

  /**
   * The pool of HTTP requests: {@code dbPoolSize} connections, at most {@code dbWaitQueue}
   * requests waiting for one and each for at most {@code dbAcquireTimeoutMs} (then the request
   * fails with {@link PoolBusy}, answered 503), and every statement cut off after
   * {@code dbStatementTimeoutMs} by the server's own {@code statement_timeout}.
   */
  public Pool requestPool(Vertx vertx, AppConfig config) {
    var options = new PgConnectOptions(connectOptions).setCachePreparedStatements(true);
    if (config.dbStatementTimeoutMs() > 0) {
      // addProperty, not setProperties: the client's own start-up parameters (DateStyle ISO among them) stay.
      options.addProperty("statement_timeout", String.valueOf(config.dbStatementTimeoutMs()));
    }
    return pool(vertx, "servicepunkt", config.dbPoolSize(), config, options);
  }

  /**
   * The small pool of event streams (snapshots, replays, the live feeds) and background jobs
   * (mail, closing, retention), so that a burst of screens or a long job cannot take the
   * connections bookings and counters need. No statement timeout, since the jobs' batch statements
   * grow with the data and stream reads do not wait on locks. Its wait is not the requests' short
   * bounded one: what waits here is bounded by design (one read per service point and kind at a
   * time, shared by all its streams; a few jobs), and after a restart ten thousand screens of
   * thirty-four points reconnect at once: their points' reads must wait their turn, not fail (a
   * failed snapshot closes the stream, and every screen would come back again and again).
   */
  public Pool streamPool(Vertx vertx, AppConfig config) {
    return pool(vertx, "servicepunkt-streams", config.dbStreamPoolSize(), -1, STREAM_ACQUIRE_TIMEOUT_MS,
        new PgConnectOptions(connectOptions).setCachePreparedStatements(true));
  }

  /** How long a stream's or a job's read may wait for one of the stream pool's connections. */
  static final int STREAM_ACQUIRE_TIMEOUT_MS = 10_000;

  private static Pool pool(Vertx vertx, String name, int size, AppConfig config, PgConnectOptions options) {
    return pool(vertx, name, size, config.dbWaitQueue(), config.dbAcquireTimeoutMs(), options);
  }

  private static Pool pool(Vertx vertx, String name, int size, int waitQueue, int acquireTimeoutMs,
                           PgConnectOptions options) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(name).setShared(false)
            .setMaxWaitQueueSize(waitQueue)
            .setConnectionTimeout(acquireTimeoutMs)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  /**
   * Waits (blocking; start-up only) until {@code pool} has opened a connection. Opening one counts
   * against the acquisition timeout, which is short (half a second by default) so that requests
   * are refused fast under load; on a busy machine the first connection's start-up and
   * authentication can take longer than that, and start-up would fail for it. So start-up retries
   * a refusal of the pool for up to {@code within}; any other failure (wrong password, no server)
   * ends start-up at once.
   */
  public static void awaitFirstConnection(Pool pool, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Throwable failure = pool.query("SELECT 1").execute()
          .<Throwable>transform(done -> Future.succeededFuture(done.failed() ? done.cause() : null)).await();
      if (failure == null) {
        return;
      }
      if (!PoolBusy.is(failure) || System.nanoTime() > deadline) {
        throw new DatabaseException("cannot connect to the database: " + failure.getMessage(), failure);
      }
    }
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
