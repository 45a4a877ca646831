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
 *
 * <p>A waiting visitor far back hears of a new place less often than one near the front
 * ({@link PlaceUpdates}): in a lobby of two thousand, nearly every read moves nearly everyone a few
 * places, and a frame for each to each phone every read cost the proxy and the phones more than the
 * reads themselves, while the page read every new place aloud to a screen reader. Anything else that
 * changes in a state (called, sent back, a meeting link) goes with the next read whatever the place.
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

  /**
   * How soon a waiting visitor whose place alone moved hears of it: at every read within the first
   * {@code near} places, beyond them at most every {@code perPlace} per place, and at least every
   * {@code most}. (Their estimate in minutes moves with the place and goes with it.)
   */
  record PlaceUpdates(int near, Duration perPlace, Duration most) {
    long gapNanos(int place) {
      return place <= near ? 0 : Math.min(perPlace.toNanos() * place, most.toNanos());
    }

    /** Every new place at once. */
    static final PlaceUpdates EVERY_READ = new PlaceUpdates(Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO);
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
  private final PlaceUpdates placeUpdates;
  private final long fewIntervalNanos;
  private final Map<UUID, PointVisitors> points = new ConcurrentHashMap<>();

  /**
   * @param spacing how far apart reads of everyone start
   * @param fewInterval how far apart reads of a few (newcomers, visitors an event names) start
   * @param placeUpdates how soon a waiting visitor hears that only their place moved
   */
  VisitorStates(LiveHub hub, Reader reader, Vertx vertx, Spacing spacing, Duration fewInterval, PlaceUpdates placeUpdates) {
    this.hub = hub;
    this.reader = reader;
    this.vertx = vertx;
    this.spacing = spacing;
    this.placeUpdates = placeUpdates;
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
    /** Each watched ticket's state as last handed to its streams, and when (nanoTime). */
    private final Map<UUID, Shown> shown = new HashMap<>();
    /** States read whose new place is not due yet: handed out when it is, unless a newer read comes first. */
    private final Map<UUID, Withheld> withheld = new HashMap<>();
    /** The timer that hands out withheld states when the first is due, and when (nanoTime); -1 for none. */
    private long withheldTimer = -1;
    private long withheldDue;

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
      reader.read(point, tickets).map(this::encodedAll).onComplete(result -> {
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
        shown.remove(watcher.ticket);
        withheld.remove(watcher.ticket);
      }
      watched = watchers.size();
      stopped = watchers.isEmpty();
      return stopped;
    }

    /** No longer hears the point's events. */
    void stop() {
      listener.stop();
      synchronized (this) {
        if (withheldTimer >= 0) {
          vertx.cancelTimer(withheldTimer);
          withheldTimer = -1;
        }
      }
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

    /**
     * The states of a read of everyone that its streams should hear now: those that changed in more
     * than the place, and a new place when it is due ({@link PlaceUpdates}); each encoded once. A new
     * place not due yet is withheld and handed out when it is, unless a newer read replaces it.
     */
    private synchronized Read encoded(States read) {
      long now = System.nanoTime();
      var encoded = new HashMap<UUID, String>();
      Long firstDue = null; // the timer is set once per read, for the earliest new place withheld
      for (var entry : read.states().entrySet()) {
        UUID id = entry.getKey();
        JsonObject state = entry.getValue();
        Shown before = shown.get(id);
        if (before != null && state.equals(before.state())) {
          withheld.remove(id);
        } else if (before == null || !placeOnlyMoved(before.state(), state)) {
          show(id, state, now, encoded);
        } else {
          long due = before.at() + placeUpdates.gapNanos(state.getInteger("position"));
          if (due - now <= 0) {
            show(id, state, now, encoded);
          } else {
            withheld.put(id, new Withheld(state, read.lastEventId(), due));
            if (firstDue == null || due - firstDue < 0) {
              firstDue = due;
            }
          }
        }
      }
      if (firstDue != null) {
        handOutWithheldBy(firstDue);
      }
      return new Read(read.lastEventId(), encoded);
    }

    /** Every state of a read of a few (newcomers, visitors an event names), encoded, whatever changed. */
    private synchronized Read encodedAll(States read) {
      long now = System.nanoTime();
      var encoded = new HashMap<UUID, String>();
      read.states().forEach((id, state) -> show(id, state, now, encoded));
      return new Read(read.lastEventId(), encoded);
    }

    private void show(UUID id, JsonObject state, long now, Map<UUID, String> encoded) {
      encoded.put(id, state.encode());
      withheld.remove(id);
      if (watchers.containsKey(id)) {
        shown.put(id, new Shown(state, now));
      }
    }

    /** Makes sure the withheld states are looked at by {@code due} (nanoTime). */
    private void handOutWithheldBy(long due) {
      if (withheldTimer >= 0 && withheldDue - due <= 0 || stopped) {
        return;
      }
      if (withheldTimer >= 0) {
        vertx.cancelTimer(withheldTimer);
      }
      withheldDue = due;
      withheldTimer = vertx.setTimer(Math.max(1, (due - System.nanoTime()) / 1_000_000 + 1), t -> handOutWithheld());
    }

    /** Hands out the withheld states that are due, one read's at a time, and waits for the rest. */
    private void handOutWithheld() {
      var due = new HashMap<Long, Map<UUID, String>>();
      synchronized (this) {
        withheldTimer = -1;
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (var it = withheld.entrySet().iterator(); it.hasNext(); ) {
          var entry = it.next();
          Withheld w = entry.getValue();
          if (w.due() - now <= 0) {
            it.remove();
            due.computeIfAbsent(w.lastEventId(), id -> new HashMap<>()).put(entry.getKey(), w.state().encode());
            shown.put(entry.getKey(), new Shown(w.state(), now));
          } else if (next == Long.MAX_VALUE || w.due() - next < 0) {
            next = w.due();
          }
        }
        if (next != Long.MAX_VALUE) {
          handOutWithheldBy(next);
        }
      }
      due.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> deliver(new Read(e.getKey(), e.getValue())));
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

  /** A state as last handed to a ticket's streams, and when (nanoTime). */
  private record Shown(JsonObject state, long at) {
  }

  /** A state read whose new place is not due yet, the last event id of its read, and when it is due (nanoTime). */
  private record Withheld(JsonObject state, long lastEventId, long due) {
  }

  /** Whether a waiting visitor's state moved in place (and estimate) alone. */
  static boolean placeOnlyMoved(JsonObject before, JsonObject now) {
    if (!"waiting".equals(now.getString("status")) || !(now.getValue("position") instanceof Number)
        || before.size() != now.size()) {
      return false;
    }
    if ((before.getValue("estimatedWaitMinutes") == null) != (now.getValue("estimatedWaitMinutes") == null)) {
      return false; // an estimate that comes (a counter opened) or goes is news whatever the place
    }
    for (String field : now.fieldNames()) {
      if (!PLACE_FIELDS.contains(field) && !java.util.Objects.equals(before.getValue(field), now.getValue(field))) {
        return false;
      }
    }
    return true;
  }

  private static final Set<String> PLACE_FIELDS = Set.of("position", "estimatedWaitMinutes");
}
