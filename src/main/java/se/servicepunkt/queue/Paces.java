package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import se.servicepunkt.core.Contexts;
import se.servicepunkt.live.LiveEvent;

/**
 * The pace of each point's queues (open counters and minutes per visitor, per service and
 * channel), kept per point and instance: every new ticket's answer and every read of visitors'
 * places needs it, and reading it each time was a third of the database's time at twice the
 * lobby's load. A point's pace is read again when it is older than {@link #FRESH_MILLIS}, and at
 * once after this instance committed a change of the point's counters (opened, closed, paused,
 * resumed), so the visitors a counter opens for get their estimate with the same event. A
 * change made on another instance, or a visit finished, shows within {@link #FRESH_MILLIS}: the
 * estimate counts minutes. A read under way is shared. One entry per point the instance has answered for: a few hundred at most.
 */
final class Paces {
  /** How long a point's pace is used before it is read again. */
  static final long FRESH_MILLIS = 1_000;

  private record Kept(long readAt, Future<List<Waiting.Pace>> pace) {
  }

  private final WaitingQueries queries;
  private final Clock clock;
  private final Map<UUID, Kept> kept = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();

  Paces(WaitingQueries queries, Clock clock) {
    this.queries = queries;
    this.clock = clock;
  }

  /** The pace of every service and channel offered at the point, read on {@code db} when not fresh. */
  Future<List<Waiting.Pace>> of(SqlClient db, UUID point) {
    long now = System.nanoTime();
    Kept current = kept.compute(point, (id, k) -> k != null
        && (!k.pace().isComplete() || k.pace().succeeded() && now - k.readAt() < TimeUnit.MILLISECONDS.toNanos(FRESH_MILLIS))
        ? k
        : read(db, point, now));
    current.pace().onFailure(e -> kept.remove(point, current));
    // a read another caller started completes on its event loop: continue on this one
    return Contexts.on(Vertx.currentContext(), current.pace());
  }

  private Kept read(SqlClient db, UUID point, long now) {
    reads.incrementAndGet();
    return new Kept(now, queries.pace(db, point, clock.instant()));
  }

  /** How many times a pace was read from the database (for tests). */
  long reads() {
    return reads.get();
  }

  /**
   * A change this instance committed: one of a point's counters makes the point's pace stale. It is
   * forgotten, the read under way included (it may have started before the commit), so the next
   * caller reads one that starts after it.
   */
  void committed(LiveEvent event) {
    if (event.type().startsWith("counter-")) {
      kept.remove(event.stream());
    }
  }
}
