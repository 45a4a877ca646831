package se.servicepunkt.stats;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.ZoneId;
import se.servicepunkt.auth.StaffAuth;

/**
 * The statistics feature, wired once by the composition root: the in-memory count of unmet
 * demand (handed to booking and the queue as their {@link se.servicepunkt.core.Demand}), the fold
 * job, the figures' reads, routes and pages.
 */
public final class Stats {
  private final DemandCounter demand;
  private final StatsFold fold;
  private final StatsService service;
  private final Pool pool;

  /**
   * @param pool the pool of requests (reads)
   * @param jobPool the pool of background jobs (the fold)
   * @param zone the installation's zone, whose today decides which appointments are past
   */
  public Stats(Vertx vertx, Pool pool, Pool jobPool, Clock clock, ZoneId zone, int foldSeconds) {
    this.pool = pool;
    this.demand = new DemandCounter(clock);
    this.fold = new StatsFold(vertx, jobPool, demand, foldSeconds);
    this.service = new StatsService(pool, fold, clock, zone);
  }

  public DemandCounter demand() {
    return demand;
  }

  /** The fold job; {@link StatsFold#start} runs it every {@code statsFoldSeconds}. */
  public StatsFold fold() {
    return fold;
  }

  public StatsService service() {
    return service;
  }

  public StatsRoutes routes(StaffAuth auth, se.servicepunkt.page.Messages messages) {
    return new StatsRoutes(service, auth, messages);
  }

  /** The pages {@code /staff/stats} and {@code /staff/stats/report}. */
  public StatsPages pages(se.servicepunkt.page.Pages pages) {
    return new StatsPages(pages, pool);
  }
}
