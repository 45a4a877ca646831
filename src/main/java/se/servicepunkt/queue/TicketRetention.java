package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a ticket may say about a person is kept no longer than a booking's personal data
 * ({@code retentionDays} after the visit): the priority reason (it can be health data) becomes
 * {@value #WITHHELD}, keeping the fact that the visitor had priority for statistics, and staff's
 * outcome note is removed. Runs at start-up and every hour; harmless on several instances at once.
 */
public final class TicketRetention {
  static final String WITHHELD = "withheld";
  private static final Logger LOG = LoggerFactory.getLogger(TicketRetention.class);
  private static final String FORGET = """
      UPDATE ticket SET
        priority_reason = CASE WHEN priority_reason IS NULL THEN NULL ELSE 'withheld' END,
        outcome = NULL
      WHERE coalesce(finished_at, called_at, arrived_at) < now() - make_interval(days => $1)
        AND status NOT IN ('waiting', 'called', 'serving')
        AND (outcome IS NOT NULL OR priority_reason IS NOT NULL AND priority_reason <> 'withheld')""";

  private final Vertx vertx;
  private final Pool pool;
  private final int days;

  public TicketRetention(Vertx vertx, Pool pool, int days) {
    this.vertx = vertx;
    this.pool = pool;
    this.days = days;
  }

  public void start() {
    se.servicepunkt.core.Hourly.run(vertx, this::run);
  }

  /** One pass; returns how many tickets it changed. */
  public Future<Integer> run() {
    return pool.preparedQuery(FORGET).execute(Tuple.of(days)).map(rows -> rows.rowCount())
        .onSuccess(count -> {
          if (count > 0) {
            LOG.info("Removed priority reasons and outcome notes from {} past tickets", count);
          }
        })
        .onFailure(e -> LOG.warn("Ticket retention pass failed: {}", e.getMessage()));
  }
}
