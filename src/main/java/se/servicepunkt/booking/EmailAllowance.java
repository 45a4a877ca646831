package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import se.servicepunkt.core.Allowances;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Secrets;

/**
 * What one resident, known by their e-mail address, may do, so that nobody fills a service's
 * calendar or walks through references with one address: at most {@code perHour} bookings and
 * booking look-ups an hour (429 with Retry-After beyond it; kept in memory by a hash of the
 * address, per instance), and at most {@code activePerService} active coming bookings of one
 * service (409 beyond it). The cap is counted in the booking's own insert, while an advisory lock
 * on the address and the service is held: a statement's snapshot is taken after the lock is
 * granted, so it sees every booking of the address committed before, and two bookings racing
 * cannot both slip under the cap. Without an idempotency key the lock is a session lock sent in
 * one pipeline with the insert and the unlock (one round trip, as the insert alone was); with one,
 * a transaction lock in the idempotency's transaction. Staff booking on a resident's behalf are
 * held to neither.
 */
final class EmailAllowance {
  private static final String LOCK_TRANSACTION = """
      SELECT pg_advisory_xact_lock(hashtextextended(lower($1) || '/' || $2, 7))""";
  private static final String LOCK = """
      SELECT pg_advisory_lock(hashtextextended(lower($1) || '/' || $2, 7))""";
  private static final String UNLOCK = """
      SELECT pg_advisory_unlock(hashtextextended(lower($1) || '/' || $2, 7))""";
  private static final String ACTIVE = """
      SELECT count(*) FROM booking
      WHERE lower(email) = lower($1) AND service_id = $2 AND status = 'active' AND upper(period) > now()""";

  private final Allowances hourly;
  private final int activePerService;

  EmailAllowance(int perHour, int activePerService) {
    this.hourly = new Allowances(perHour, Duration.ofHours(1), Duration.ofHours(2), 200_000);
    this.activePerService = activePerService;
  }

  /** The most coming bookings of one service an address may hold. */
  int cap() {
    return activePerService;
  }

  /** Counts a booking or a look-up for the address; a failed future (429) over the hour's allowance. */
  Future<Void> take(String email) {
    String key = HexFormat.of().formatHex(Secrets.sha256(email.strip().toLowerCase(Locale.ROOT)));
    long seconds = hourly.take(key);
    if (seconds == 0) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(Problem.tooManyRequests("Too many bookings or look-ups for this e-mail address; "
        + "try again in " + Math.max(1, seconds / 60) + " minutes.", seconds));
  }

  /** In a transaction: holds the address's lock until it ends. */
  Future<Void> lockInTransaction(SqlClient tx, String email, UUID service) {
    return tx.preparedQuery(LOCK_TRANSACTION).execute(Tuple.of(email.strip(), service.toString())).mapEmpty();
  }

  /**
   * On one connection, outside a transaction: {@code insert} runs while the address's lock is
   * held; the lock, the insert and the unlock are sent together, without waiting in between.
   */
  <T> Future<T> whileLocked(SqlConnection conn, String email, UUID service, Function<SqlConnection, Future<T>> insert) {
    Tuple key = Tuple.of(email.strip(), service.toString());
    Future<?> locked = conn.preparedQuery(LOCK).execute(key);
    Future<T> inserted = insert.apply(conn);
    Future<?> unlocked = conn.preparedQuery(UNLOCK).execute(key);
    return Future.join(locked, inserted, unlocked).transform(all -> locked.failed()
        ? Future.failedFuture(locked.cause())
        : inserted);
  }

  /** Whether the address holds the most coming bookings of the service (to tell why an insert found no room). */
  Future<Boolean> full(SqlClient db, String email, UUID service) {
    return db.preparedQuery(ACTIVE).execute(Tuple.of(email.strip(), service))
        .map(rows -> rows.iterator().next().getLong(0) >= activePerService);
  }

  Problem fullProblem() {
    return Problem.conflict("This e-mail address already has " + activePerService
        + " coming bookings of this service; cancel one, or ask the service point.");
  }
}
