package se.servicepunkt.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.live.LiveEvent;
import se.servicepunkt.live.LiveHub;

/**
 * The states (status, position, estimated wait, meeting link) of every visitor whose ticket
 * stream this instance holds, per service point: read for all of a point's visitors at once, in
 * one consistent snapshot with the id of the last event it includes, and handed to each of their
 * streams on the stream's own event loop. The point's events are heard once per instance (not once
 * per stream); while a read is running, further events only mark the point for one more read
 * after it, so a point costs at most one read at a time however many visitors follow it and
 * however fast it changes. A stream that starts gets its first state from a small read of the
 * newcomers only (those that started since the last such read began), which does not wait for the
 * next read of everyone: a burst of visitors opening their tickets shares these reads too, one at a
 * time per point and {@code newcomersInterval} apart, and never makes the point's read of everyone
 * come sooner. Reads of everyone start at least
 * {@code minInterval} apart: a busy lobby changes tens of times a second, and a visitor needs their
 * new place within a moment, not after every change (one read of 1,500 visitors costs milliseconds
 * of the database and of this instance, most of an instance's time under the lobby benchmark when
 * every change made one). A state is encoded once per read, and only when it changed.
 */
final class VisitorStates {
  private static final Logger LOG = LoggerFactory.getLogger(VisitorStates.class);

  /** One read: the point's last event id it includes, and each watched ticket's state, encoded. */
  record Read(long lastEventId, Map<UUID, String> states) {
  }

  /** The states of a point's watched tickets, as read, with the last event id the read includes. */
  record States(long lastEventId, Map<UUID, JsonObject> states) {
  }

  /** Reads the states of {@code tickets} at {@code point} with the last event id, consistently. */
  interface Reader {
    Future<States> read(UUID point, List<UUID> tickets);
  }

  /** A visitor's stream: receives each new state of its ticket (encoded), on its own event loop. */
  static final class Watcher {
    private final UUID ticket;
    private final Context context;
    private final java.util.function.Consumer<Read> receiver;

    Watcher(UUID ticket, Context context, java.util.function.Consumer<Read> receiver) {
      this.ticket = ticket;
      this.context = context;
      this.receiver = receiver;
    }
  }

  private final LiveHub hub;
  private final Reader reader;
  private final Vertx vertx;
  private final Duration minInterval;
  private final long newcomersIntervalNanos;
  private final Map<UUID, PointVisitors> points = new ConcurrentHashMap<>();

  /**
   * @param minInterval how far apart reads of everyone start
   * @param newcomersInterval how far apart reads of newcomers start
   */
  VisitorStates(LiveHub hub, Reader reader, Vertx vertx, Duration minInterval, Duration newcomersInterval) {
    this.hub = hub;
    this.reader = reader;
    this.vertx = vertx;
    this.minInterval = minInterval;
    this.newcomersIntervalNanos = newcomersInterval.toNanos();
  }

  /**
   * Starts following the watcher's ticket at {@code point}; the returned read (of the newcomers)
   * includes its state, and later reads of everyone reach the watcher until {@link #unwatch}.
   */
  Future<Read> watch(UUID point, Watcher watcher) {
    while (true) {
      Future<Read> read = points.computeIfAbsent(point, PointVisitors::new).add(watcher);
      if (read != null) {
        return read;
      }
      Thread.onSpinWait(); // that point's last stream just left: its visitors stop, a new one follows
    }
  }

  void unwatch(UUID point, Watcher watcher) {
    PointVisitors visitors = points.get(point);
    if (visitors != null && visitors.remove(watcher)) {
      points.remove(point, visitors);
      visitors.stop();
    }
  }

  /** How many reads of visitor states this instance has made (bounded by points and events, not visitors). */
  long reads() {
    return reads.get();
  }

  private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

  private static Read encodedAfresh(States read) {
    var encoded = new HashMap<UUID, String>();
    read.states().forEach((id, state) -> encoded.put(id, state.encode()));
    return new Read(read.lastEventId(), encoded);
  }

  /** One point's watched visitors and its reads. */
  private final class PointVisitors {
    private final UUID point;
    private final Map<UUID, Set<Watcher>> watchers = new HashMap<>();
    private final PointListener listener;
    private boolean stopped;
    private final CoalescedReads<Read> everyone;
    /** Whether a read of newcomers runs or waits to start; the tickets and the promise of the next one. */
    private boolean newcomersRunning;
    private long newcomersStart = System.nanoTime() - newcomersIntervalNanos;
    private final java.util.Set<UUID> newcomers = new java.util.LinkedHashSet<>();
    private Promise<Read> newcomersNext;
    /** The states of the last read and their encodings, reused for each state that did not change. */
    private Map<UUID, JsonObject> lastStates = Map.of();
    private Map<UUID, String> lastEncoded = Map.of();

    PointVisitors(UUID point) {
      this.point = point;
      this.everyone = new CoalescedReads<>(vertx, minInterval, this::readEveryone, this::readEveryone);
      this.listener = new PointListener(hub, point, this::heard, "the visitors");
    }

    /** The read that will include the watcher's ticket; null when these visitors have stopped. */
    synchronized Future<Read> add(Watcher watcher) {
      if (stopped) {
        return null;
      }
      watchers.computeIfAbsent(watcher.ticket, t -> ConcurrentHashMap.newKeySet()).add(watcher);
      return first(watcher.ticket);
    }

    /**
     * The read of newcomers that will include {@code ticket}: at once when none runs and none
     * started in the last {@code newcomersInterval}, else the next one, which takes every ticket
     * that came meanwhile (a morning rush of walk-ins opening their tickets costs a few reads a
     * second, not one each).
     */
    private synchronized Future<Read> first(UUID ticket) {
      newcomers.add(ticket);
      if (newcomersNext == null) {
        newcomersNext = Promise.promise();
      }
      Future<Read> read = newcomersNext.future();
      if (!newcomersRunning) {
        newcomersRunning = true;
        startNewcomers();
      }
      return read;
    }

    private void startNewcomers() {
      long wait;
      synchronized (this) {
        wait = newcomersIntervalNanos - (System.nanoTime() - newcomersStart);
      }
      if (wait >= 1_000_000) {
        vertx.setTimer(wait / 1_000_000, t -> readNewcomers());
      } else {
        readNewcomers();
      }
    }

    private void readNewcomers() {
      List<UUID> tickets;
      Promise<Read> promise;
      synchronized (this) {
        tickets = List.copyOf(newcomers);
        newcomers.clear();
        promise = newcomersNext;
        newcomersNext = null;
        newcomersStart = System.nanoTime();
      }
      reads.incrementAndGet();
      reader.read(point, tickets).map(VisitorStates::encodedAfresh).onComplete(result -> {
        if (result.failed()) {
          LOG.warn("Reading the new visitors of {} failed: {}", point, result.cause().toString());
        }
        promise.handle(result);
        boolean more;
        synchronized (this) {
          more = newcomersNext != null;
          newcomersRunning = more;
        }
        if (more) {
          startNewcomers();
        }
      });
    }

    /** Removes the watcher; when it was the point's last, these visitors stop taking watchers (true). */
    synchronized boolean remove(Watcher watcher) {
      Set<Watcher> set = watchers.get(watcher.ticket);
      if (set != null && set.remove(watcher) && set.isEmpty()) {
        watchers.remove(watcher.ticket);
      }
      stopped = watchers.isEmpty();
      return stopped;
    }

    /** No longer hears the point's events. */
    void stop() {
      listener.stop();
    }

    /** An event of the point: any change of a ticket or a counter can move positions and estimates. */
    private void heard(LiveEvent event) {
      if (event.data().containsKey("ticket") || event.data().containsKey("counter")) {
        request();
      }
    }

    /** The point's read of everyone, at once or when the interval since the last one is over. */
    private void request() {
      everyone.request();
    }

    private Future<Read> readEveryone() {
      List<UUID> tickets;
      synchronized (this) {
        tickets = List.copyOf(watchers.keySet());
      }
      reads.incrementAndGet();
      return tickets.isEmpty()
          ? Future.succeededFuture(new Read(-1, Map.of()))
          : reader.read(point, tickets).map(this::encoded);
    }

    private void readEveryone(io.vertx.core.AsyncResult<Read> result) {
      if (result.succeeded()) {
        deliver(result.result());
      } else {
        LOG.warn("Reading the visitors of {} failed: {}", point, result.cause().toString());
      }
    }

    /** Encodes each state once, reusing the last read's encoding of a state that did not change. */
    // (reads of newcomers are encoded afresh and leave these alone)
    private synchronized Read encoded(States read) {
      var encoded = new HashMap<UUID, String>();
      read.states().forEach((id, state) -> {
        String before = lastEncoded.get(id);
        encoded.put(id, before != null && state.equals(lastStates.get(id)) ? before : state.encode());
      });
      lastStates = read.states();
      lastEncoded = encoded;
      return new Read(read.lastEventId(), encoded);
    }

    private void deliver(Read read) {
      Map<UUID, Set<Watcher>> copy;
      synchronized (this) {
        copy = new HashMap<>(watchers);
      }
      copy.forEach((ticket, set) -> {
        if (read.states().containsKey(ticket)) {
          set.forEach(w -> w.context.runOnContext(v -> w.receiver.accept(read)));
        }
      });
    }
  }

}
