package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.live.EventStore;

/**
 * Closes the day: tickets still waiting (or called and never served) when their service point
 * has closed for the day are expired, not carried into tomorrow, whose numbers start again at 1.
 * Also forgets queue events older than a week. Runs every minute on every instance; the updates
 * only ever expire a ticket once, so instances do not get in each other's way.
 */
public final class ClosingJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClosingJob.class);
  private static final long MINUTE_MS = 60_000L;
  private static final int KEEP_EVENTS_DAYS = 7;

  private final Vertx vertx;
  private final Pool pool;
  private final TicketRepository tickets;
  private final Visits visits;
  private final EventStore events;
  private final DirectoryQueries directory;
  private final Clock clock;

  ClosingJob(Vertx vertx, Pool pool, TicketRepository tickets, Visits visits, EventStore events,
             DirectoryQueries directory, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.tickets = tickets;
    this.visits = visits;
    this.events = events;
    this.directory = directory;
    this.clock = clock;
  }

  public void start() {
    vertx.setPeriodic(MINUTE_MS, MINUTE_MS, id -> run());
  }

  /** One pass; returns how many tickets were expired. */
  public Future<Integer> run() {
    return tickets.pointsWithOpenTickets(pool).compose(points -> {
      var passes = new ArrayList<Future<Integer>>();
      for (UUID point : points) {
        passes.add(closePoint(point));
      }
      return Future.all(passes).map(all -> passes.stream().mapToInt(Future::result).sum());
    })
        .compose(expired -> events.prune(pool, KEEP_EVENTS_DAYS).map(expired))
        .onSuccess(count -> {
          if (count > 0) {
            LOG.info("Expired {} tickets left after closing", count);
          }
        })
        .onFailure(e -> LOG.warn("Closing pass failed: {}", e.getMessage()));
  }

  /** Expires earlier days' tickets, and today's once the point has no more opening hours today. */
  private Future<Integer> closePoint(UUID pointId) {
    Instant now = clock.instant();
    return directory.point(pool, pointId).compose(point -> {
      LocalDate today = LocalDate.ofInstant(now, point.timeZone());
      return directory.calendar(pool, point, today, today).compose(calendar -> {
        boolean closedForTheDay = calendar.day(today).intervals().stream()
            .noneMatch(i -> now.isBefore(i.end().toInstant()));
        return visits.expire(pointId, closedForTheDay ? today : today.minusDays(1));
      });
    });
  }
}
