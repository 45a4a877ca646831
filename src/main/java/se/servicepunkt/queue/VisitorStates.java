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
 * however fast it changes.
 *
 * <p>Reads of everyone start at least {@link Spacing#nanosFor a spacing} apart that grows with the
 * visitors watched: a busy lobby changes tens of times a second, and each read costs every watched
 * visitor a row, a rank, a state compared and, when their place moved, a frame through the proxy
 * to their phone. Up to {@code Spacing.least} apart for a small queue, and for a long one (the
 * 1,300th visitor needs their new place within a second, not four times a second) the spacing that
 * keeps those reads' cost in proportion, at most {@code Spacing.most}.
 *
 * <p>What cannot wait for that goes by a small read of a few visitors, one at a time per point and
 * {@code fewInterval} apart, taking every ticket that came meanwhile: the first state of a stream
 * that starts (not waiting for the next read of everyone, and never making it come sooner), and the
 * new state of a watched visitor whom an event names: called to a counter, recalled, served, sent
 * back. A state is encoded once per read, and only when it changed.
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

  /**
   * How far apart reads of everyone start: {@code perVisitor} for each watched visitor, at least
   * {@code least} and at most {@code most}.
   */
  record Spacing(Duration least, Duration perVisitor, Duration most) {
    long nanosFor(int watched) {
      long nanos = perVisitor.toNanos() * watched;
      return Math.min(Math.max(nanos, least.toNanos()), most.toNanos());
    }
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
  private final Spacing spacing;
  private final long fewIntervalNanos;
  private final Map<UUID, PointVisitors> points = new ConcurrentHashMap<>();

  /**
   * @param spacing how far apart reads of everyone start
   * @param fewInterval how far apart reads of a few (newcomers, visitors an event names) start
   */
  VisitorStates(LiveHub hub, Reader reader, Vertx vertx, Spacing spacing, Duration fewInterval) {
    this.hub = hub;
    this.reader = reader;
    this.vertx = vertx;
    this.spacing = spacing;
    this.fewIntervalNanos = fewInterval.toNanos();
  }

  /**
   * Starts following the watcher's ticket at {@code point}; the returned read (of a few)
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

  /** How many of those read all of a point's watched visitors. */
  long readsOfEveryone() {
    return readsOfEveryone.get();
  }

  private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong readsOfEveryone = new java.util.concurrent.atomic.AtomicLong();

  private static Read encodedAfresh(States read) {
    var encoded = new HashMap<UUID, String>();
    read.states().forEach((id, state) -> encoded.put(id, state.encode()));
    return new Read(read.lastEventId(), encoded);
  }

  /** One point's watched visitors and its reads. */
  private final class PointVisitors {
    private final UUID point;
    private final Map<UUID, Set<Watcher>> watchers = new HashMap<>();
    /** How many tickets are watched, for the spacing of reads of everyone. */
    private volatile int watched;
    private final PointListener listener;
    private boolean stopped;
    private final CoalescedReads<Read> everyone;
    /**
     * Whether a read of a few runs or waits to start; the tickets of the next one (newcomers and
     * visitors named by events) and the promise its newcomers wait for.
     */
    private boolean fewRunning;
    private long fewStart = System.nanoTime() - fewIntervalNanos;
    private final java.util.Set<UUID> few = new java.util.LinkedHashSet<>();
    private Promise<Read> fewNext;
    /** The states of the last read and their encodings, reused for each state that did not change. */
    private Map<UUID, JsonObject> lastStates = Map.of();
    private Map<UUID, String> lastEncoded = Map.of();

    PointVisitors(UUID point) {
      this.point = point;
      this.everyone = new CoalescedReads<>(vertx, () -> spacing.nanosFor(watched), this::readEveryone, this::readEveryone);
      this.listener = new PointListener(hub, point, this::heard, "the visitors");
    }

    /** The read that will include the watcher's ticket; null when these visitors have stopped. */
    synchronized Future<Read> add(Watcher watcher) {
      if (stopped) {
        return null;
      }
      watchers.computeIfAbsent(watcher.ticket, t -> ConcurrentHashMap.newKeySet()).add(watcher);
      watched = watchers.size();
      return first(watcher.ticket);
    }

    /**
     * The read of a few that will include {@code ticket}: at once when none runs and none
     * started in the last {@code fewInterval}, else the next one, which takes every ticket
     * that came meanwhile (a morning rush of walk-ins opening their tickets costs a few reads a
     * second, not one each).
     */
    private synchronized Future<Read> first(UUID ticket) {
      if (fewNext == null) {
        fewNext = Promise.promise();
      }
      Future<Read> read = fewNext.future();
      toFew(ticket);
      return read;
    }

    /** Puts the ticket in the next read of a few, starting one when none runs or waits. */
    private synchronized void toFew(UUID ticket) {
      few.add(ticket);
      if (!fewRunning) {
        fewRunning = true;
        startFew();
      }
    }

    private void startFew() {
      long wait;
      synchronized (this) {
        wait = fewIntervalNanos - (System.nanoTime() - fewStart);
      }
      if (wait >= 1_000_000) {
        vertx.setTimer(wait / 1_000_000, t -> readFew());
      } else {
        readFew();
      }
    }

    private void readFew() {
      List<UUID> tickets;
      Promise<Read> promise;
      synchronized (this) {
        tickets = List.copyOf(few);
        few.clear();
        promise = fewNext;
        fewNext = null;
        fewStart = System.nanoTime();
      }
      reads.incrementAndGet();
      reader.read(point, tickets).map(VisitorStates::encodedAfresh).onComplete(result -> {
        if (result.failed()) {
          LOG.warn("Reading new or called visitors of {} failed: {}", point, result.cause().toString());
        } else {
          deliver(result.result()); // the visitors an event named; a newcomer's stream ignores what it already has
        }
        if (promise != null) {
          promise.handle(result);
        }
        boolean more;
        synchronized (this) {
          more = !few.isEmpty();
          fewRunning = more;
        }
        if (more) {
          startFew();
        }
      });
    }

    /** Removes the watcher; when it was the point's last, these visitors stop taking watchers (true). */
    synchronized boolean remove(Watcher watcher) {
      Set<Watcher> set = watchers.get(watcher.ticket);
      if (set != null && set.remove(watcher) && set.isEmpty()) {
        watchers.remove(watcher.ticket);
      }
      watched = watchers.size();
      stopped = watchers.isEmpty();
      return stopped;
    }

    /** No longer hears the point's events. */
    void stop() {
      listener.stop();
    }

    /**
     * An event of the point: any change of a ticket or a counter can move positions and estimates,
     * which the next read of everyone brings; a watched visitor the event names (called, recalled,
     * served, sent back) is read at once with the few.
     */
    private void heard(LiveEvent event) {
      if (event.data().containsKey("ticket") || event.data().containsKey("counter")) {
        named(event);
        request();
      }
    }

    private void named(LiveEvent event) {
      Object ticket = event.data().getValue("ticket");
      if (!(ticket instanceof JsonObject json) || !(json.getValue("id") instanceof String id)) {
        return;
      }
      UUID named;
      try {
        named = UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        return;
      }
      synchronized (this) {
        if (watchers.containsKey(named)) {
          toFew(named);
        }
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
      readsOfEveryone.incrementAndGet();
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
    // (reads of a few are encoded afresh and leave these alone)
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
