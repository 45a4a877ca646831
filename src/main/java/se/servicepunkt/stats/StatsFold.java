package se.servicepunkt.stats;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code statsFoldSeconds}: folds the facts the triggers appended into the kept figures (one
 * statement, {@code stats_fold()}), and writes the unmet demand counted in memory. Harmless on
 * several instances at once (each fact is folded by one of them).
 */
public final class StatsFold {
  private static final Logger LOG = LoggerFactory.getLogger(StatsFold.class);
  private static final String FOLD = "SELECT stats_fold()";

  private final Vertx vertx;
  private final Pool pool;
  private final DemandCounter demand;
  private final int seconds;

  public StatsFold(Vertx vertx, Pool pool, DemandCounter demand, int seconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.demand = demand;
    this.seconds = seconds;
  }

  public void start() {
    vertx.setPeriodic(seconds * 1000L, id -> run());
  }

  /** One pass: the demand counted so far, then the facts; returns how many facts were folded. */
  public Future<Long> run() {
    return demand.flush(pool).recover(failure -> {
      LOG.warn("Writing the unmet demand failed (kept for the next pass): {}", failure.getMessage());
      return Future.succeededFuture(0);
    }).compose(flushed -> pool.query(FOLD).execute().map(rows -> rows.iterator().next().getLong(0)))
        .onFailure(e -> LOG.warn("Folding the statistics failed: {}", e.getMessage()));
  }
}
