package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Personal data is kept only as long as needed: a configurable number of days after an
 * appointment (default 30) the resident's name, e-mail and phone are removed, keeping the
 * anonymous facts statistics need (point, service, channel, times, status); features that kept
 * a copy (e-mail's outbox) forget it in the same change, by their own triggers. Stored idempotent
 * answers are removed after a day. Runs at start-up and every hour; running it on several
 * instances at once is harmless (the updates are idempotent).
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final String ANONYMISE = """
      UPDATE booking SET name = NULL, email = NULL, phone = NULL, anonymised_at = now()
      WHERE anonymised_at IS NULL AND upper(period) < now() - make_interval(days => $1)""";
  private static final String FORGET_ANSWERS = """
      DELETE FROM idempotent_request WHERE created_at < now() - interval '1 day'""";

  private final Vertx vertx;
  private final Pool pool;
  private final int days;

  public RetentionJob(Vertx vertx, Pool pool, int days) {
    this.vertx = vertx;
    this.pool = pool;
    this.days = days;
  }

  public void start() {
    se.servicepunkt.core.Hourly.run(vertx, this::run);
  }

  /** One pass; returns how many bookings were anonymised. */
  public Future<Integer> run() {
    return pool.preparedQuery(ANONYMISE).execute(Tuple.of(days))
        .compose(rows -> pool.query(FORGET_ANSWERS).execute().map(rows.rowCount()))
        .onSuccess(count -> {
          if (count > 0) {
            LOG.info("Removed the personal data of {} past bookings", count);
          }
        })
        .onFailure(e -> LOG.warn("Retention pass failed: {}", e.getMessage()));
  }
}
