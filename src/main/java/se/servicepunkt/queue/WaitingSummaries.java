package se.servicepunkt.queue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.live.EventStream;
import se.servicepunkt.live.LiveEvent;
import se.servicepunkt.live.LiveHub;

/**
 * The waiting summary (per service and channel: how many wait, the open counters, the estimate)
 * of every point whose screens or consoles this instance streams: read after the point's changes,
 * at most one read at a time and {@code minInterval} apart per point however fast it changes, and
 * sent to each of its streams as a {@code waiting} frame without an id (it is not an event of the
 * table, so a client's last event id stays). Changes do not compute it themselves: inside each
 * change's transaction it was a third of the database's time under a busy lobby, read again for
 * every walk-in of the morning rush. A read includes the last event id it saw, and a stream that
 * started from a newer state (its snapshot) does not get an older summary. A stream that resumed
 * after missing events asks for a read, so that it gets the summary of now.
 */
final class WaitingSummaries {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingSummaries.class);
  /** Changes that leave the summary as it was: the same visitors wait, the same counters are open, no visit ended. */
  private static final Set<String> UNCHANGED_BY = Set.of("ticket-recalled", "ticket-started");

  /** One read: the last event id it includes, and its frame, encoded once for every stream. */
  record Summary(long lastEventId, Buffer frame) {
  }

  private final LiveHub hub;
  private final Vertx vertx;
  private final Duration minInterval;
  private final Function<UUID, Future<Summary>> reader;
  private final Map<UUID, PointSummary> points = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

  WaitingSummaries(LiveHub hub, Vertx vertx, Duration minInterval, Function<UUID, Future<Summary>> reader) {
    this.hub = hub;
    this.vertx = vertx;
    this.minInterval = minInterval;
    this.reader = reader;
  }

  /** Whether the summary can differ after {@code event}. */
  static boolean changedBy(LiveEvent event) {
    return !UNCHANGED_BY.contains(event.type())
        && (event.data().containsKey("ticket") || event.data().containsKey("counter"));
  }

  /**
   * Sends the point's summaries to {@code stream} (on the caller's event loop) until it closes;
   * asks for one now when the stream resumed (its client missed changes, and their events carry
   * no summary), not after a snapshot, which has the summary of its moment.
   */
  void follow(UUID point, EventStream stream) {
    // grouped by the event loop's own context: each request runs on a duplicate of it
    Context context = ((io.vertx.core.internal.ContextInternal) Vertx.currentContext()).unwrap();
    while (true) {
      PointSummary summary = points.computeIfAbsent(point, PointSummary::new);
      if (summary.add(stream, context)) {
        stream.sse().onClose(() -> {
          if (summary.remove(stream)) {
            points.remove(point, summary);
            summary.stop();
          }
        });
        if (stream.resumed()) {
          summary.reads.request();
        }
        return;
      }
      Thread.onSpinWait(); // that point's last stream just left: its summaries stop, a new one follows
    }
  }

  /** How many summaries this instance has read (bounded by points and time, not streams or changes). */
  long reads() {
    return reads.get();
  }

  /** One point's streams and its reads. */
  private final class PointSummary {
    private final UUID point;
    private final Map<EventStream, Context> streams = new HashMap<>();
    private final CoalescedReads<Summary> reads;
    private final PointListener listener;
    private boolean stopped;

    PointSummary(UUID point) {
      this.point = point;
      this.reads = new CoalescedReads<>(vertx, minInterval, this::read, this::deliver);
      this.listener = new PointListener(hub, point, event -> {
        if (changedBy(event)) {
          reads.request();
        }
      }, "the waiting summary");
    }

    /** Adds the stream; false when these summaries have stopped. */
    synchronized boolean add(EventStream stream, Context context) {
      if (stopped) {
        return false;
      }
      streams.put(stream, context);
      return true;
    }

    /** Removes the stream; when it was the point's last, these summaries stop taking streams (true). */
    synchronized boolean remove(EventStream stream) {
      streams.remove(stream);
      stopped = streams.isEmpty();
      return stopped;
    }

    void stop() {
      listener.stop();
    }

    private Future<Summary> read() {
      WaitingSummaries.this.reads.incrementAndGet();
      return reader.apply(point);
    }

    private void deliver(AsyncResult<Summary> result) {
      if (result.failed()) {
        LOG.warn("Reading the waiting summary of {} failed: {}", point, result.cause().toString());
        return;
      }
      Summary summary = result.result();
      Map<Context, java.util.List<EventStream>> byLoop = new HashMap<>();
      synchronized (this) {
        streams.forEach((stream, context) -> byLoop.computeIfAbsent(context, c -> new java.util.ArrayList<>()).add(stream));
      }
      byLoop.forEach((context, list) -> context.runOnContext(v -> list.forEach(
          stream -> stream.sendBeside(summary.lastEventId(), summary.frame()))));
    }
  }
}
