package se.servicepunkt.booking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Secrets;

/**
 * What one resident, known by their e-mail address, may do, so that nobody fills a service's
 * calendar or walks through references with one address: at most {@code perHour} bookings and
 * booking look-ups an hour (429 with Retry-After beyond it; kept in memory by a hash of the
 * address, per instance), and at most {@code activePerService} active future bookings of one
 * service (409 beyond it). The count is taken under a transaction lock on the address and the
 * service, so two bookings racing cannot both slip under the cap. Staff booking on a resident's
 * behalf are not held to either.
 */
final class EmailAllowance {
  private static final String LOCK = """
      SELECT pg_advisory_xact_lock(hashtextextended(lower($1) || '/' || $2::text, 7))""";
  private static final String ACTIVE = """
      SELECT count(*) FROM booking
      WHERE lower(email) = lower($1) AND service_id = $2 AND status = 'active' AND upper(period) > now()""";

  private final int perHour;
  private final int activePerService;
  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofHours(2)).maximumSize(200_000).build();

  EmailAllowance(int perHour, int activePerService) {
    this.perHour = perHour;
    this.activePerService = activePerService;
  }

  /** Counts a booking or a look-up for the address; a failed future (429) over the hour's allowance. */
  Future<Void> take(String email) {
    String key = HexFormat.of().formatHex(Secrets.sha256(email.strip().toLowerCase(Locale.ROOT)));
    Bucket bucket = buckets.get(key, k -> Bucket.builder()
        .addLimit(limit -> limit.capacity(perHour).refillGreedy(perHour, Duration.ofHours(1))).build());
    var probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return Future.succeededFuture();
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return Future.failedFuture(Problem.tooManyRequests("Too many bookings or look-ups for this e-mail address; "
        + "try again in " + Math.max(1, seconds / 60) + " minutes.", seconds));
  }

  /** In the booking's transaction: fails (409) when the address already has the most active bookings of the service. */
  Future<Void> roomFor(SqlClient tx, String email, UUID service) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(email.strip(), service.toString()))
        .compose(locked -> tx.preparedQuery(ACTIVE).execute(Tuple.of(email.strip(), service)))
        .compose(rows -> rows.iterator().next().getLong(0) < activePerService
            ? Future.succeededFuture()
            : Future.failedFuture(Problem.conflict("This e-mail address already has " + activePerService
                + " coming bookings of this service; cancel one, or ask the service point.")));
  }
}
