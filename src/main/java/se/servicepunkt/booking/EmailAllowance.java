package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import se.servicepunkt.core.Allowances;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Secrets;

/**
 * What one resident, known by their e-mail address, may do, so that nobody fills a service's
 * calendar or walks through references with one address: at most {@code perHour} bookings and
 * booking look-ups an hour (429 with Retry-After beyond it; kept in memory by a hash of the
 * address, per instance), and at most {@code activePerService} active coming bookings of one
 * service (409 beyond it). The cap is held by the database: a trigger on the resident's insert
 * (V24) takes an advisory lock on the address and the service and counts with a snapshot taken
 * after the lock, so it sees every booking of the address committed before, and two bookings
 * racing cannot both slip under the cap; over it the insert fails with {@link #OVER_CAP}. The cap
 * is written to {@code booking_setting} at start-up. Staff booking on a resident's behalf are held
 * to neither.
 */
final class EmailAllowance {
  /** The SQLSTATE of an insert refused because the address holds the cap of coming bookings. */
  static final String OVER_CAP = "SP409";
  private static final String SETTING = """
      UPDATE booking_setting SET active_per_email = $1""";

  private final Allowances hourly;
  private final int activePerService;

  EmailAllowance(int perHour, int activePerService) {
    this.hourly = new Allowances(perHour, Duration.ofHours(1), Duration.ofHours(2), 200_000);
    this.activePerService = activePerService;
  }

  /** Writes the cap where the database's trigger reads it (at start-up). */
  Future<Void> writeSetting(SqlClient db) {
    return db.preparedQuery(SETTING).execute(Tuple.of(activePerService)).mapEmpty();
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

  Problem fullProblem() {
    return Problem.conflict("This e-mail address already has " + activePerService
        + " coming bookings of this service; cancel one, or ask the service point.");
  }
}
