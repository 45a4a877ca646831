package se.servicepunkt.live;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's view of every queue change, on every instance. One LISTEN connection
 * ({@link PgSubscriber}, reconnecting for ever) hears {@code point:id} notifications; for each
 * service point that has streams here, a {@link Feed} reads the new events from the table, in id
 * order and from the last id it saw, and publishes them on the local event bus at
 * {@link #address}. After a reconnect, and every {@code pollSeconds} as a safety net, every feed
 * catches up from the table, so a lost notification delays an event but never loses it.
 *
 * <p>A feed hands each event to its subscribers grouped by their event loop: one task per loop
 * that calls that loop's subscribers in turn, in id order, not one event-bus message per stream
 * (a lobby's event reaches a thousand streams per instance, and a message each cost tens of
 * milliseconds of an event loop, inside the feed's lock that the other loops then waited for).
 */
public final class LiveHub {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final EventStore store;
  private final long pollMillis;
  private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();
  private final Map<String, Future<java.util.List<LiveEvent>>> replays = new ConcurrentHashMap<>();
  private PgSubscriber subscriber;
  /** When a read of the database by this hub last succeeded (nanoTime), and whether the last one failed. */
  private volatile long lastReadOk = System.nanoTime();
  private volatile boolean readFailing;
  private volatile boolean probing;
  private volatile long probeStarted;
  /** How often the hub checks it can read the database while it has streams, and how stale it may be. */
  static final long PROBE_MILLIS = 1_000;
  static final long LIVE_WITHIN_MILLIS = 3_000;

  public LiveHub(Vertx vertx, Pool pool, PgConnectOptions connectOptions, EventStore store, int pollSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.connectOptions = connectOptions;
    this.store = store;
    this.pollMillis = pollSeconds * 1000L;
  }

  /** One subscriber of a point's events: its handler, called on the event loop it subscribed on. */
  public static final class Subscription {
    private final Context context;
    private final Handler<LiveEvent> handler;

    private Subscription(Context context, Handler<LiveEvent> handler) {
      this.context = context;
      this.handler = handler;
    }
  }

  public Future<Void> start() {
    subscriber = PgSubscriber.subscriber(vertx, connectOptions)
        .reconnectPolicy(attempt -> Math.min(5_000L, 200L * (attempt + 1)));
    subscriber.closeHandler(v -> LOG.warn("The LISTEN connection closed for good; streams now rely on polling every {} s",
        pollMillis / 1000));
    subscriber.channel(EventStore.CHANNEL)
        .subscribeHandler(v -> {
          LOG.info("Listening for queue events; catching up");
          catchUpAll();
        })
        .handler(this::notified);
    vertx.setPeriodic(pollMillis, pollMillis, id -> catchUpAll());
    vertx.setPeriodic(PROBE_MILLIS, PROBE_MILLIS, id -> probe());
    return subscriber.connect();
  }

  /**
   * The events of {@code point} on this instance, from the moment the returned future completes:
   * it waits until the point's feed knows its last event id, so that a snapshot read after it
   * includes every event the stream will not receive. Unsubscribe to stop.
   */
  public Future<Subscription> subscribe(UUID point, Handler<LiveEvent> handler) {
    Context current = Vertx.currentContext();
    // grouped by the event loop's own context: each request runs on a duplicate of it
    Context loop = ((io.vertx.core.internal.ContextInternal) (current != null ? current : vertx.getOrCreateContext())).unwrap();
    var subscription = new Subscription(loop, handler);
    Feed feed = feeds.compute(point, (id, existing) -> {
      Feed f = existing != null ? existing : new Feed(id);
      f.add(subscription);
      return f;
    });
    feed.startOnce();
    return feed.ready.future().map(subscription);
  }

  public void unsubscribe(UUID point, Subscription subscription) {
    feeds.computeIfPresent(point, (id, feed) -> feed.remove(subscription) <= 0 ? null : feed);
  }

  /**
   * An event this instance has just committed, or one a notification carried whole: published to
   * local streams at once, without a read of the table. If it does not directly follow the last
   * event published for the point, the feed reads what is missing from the table instead; an event
   * already published is ignored, so the committing instance's own notification changes nothing.
   */
  public void committed(LiveEvent event) {
    Feed feed = feeds.get(event.stream());
    if (feed != null && !feed.publishIfNext(event)) {
      feed.wake();
    }
  }

  /** How many streams this instance holds, over all points. */
  public int streams() {
    return feeds.values().stream().mapToInt(Feed::subscribers).sum();
  }

  /** How many streams this instance holds for the point. */
  public int subscribers(UUID point) {
    Feed feed = feeds.get(point);
    return feed == null ? 0 : feed.subscribers();
  }

  /**
   * Up to {@code limit} events of the point after {@code id}, read once for every stream asking
   * the same at the same time (after a restart, screens reconnect together with the same last
   * event id). Completes on the context of the caller that started the read.
   */
  public Future<java.util.List<LiveEvent>> after(UUID point, long id, int limit) {
    String key = point + "/" + id + "/" + limit;
    var read = replays.computeIfAbsent(key, k -> store.after(pool, point, id, limit));
    read.onComplete(done -> replays.remove(key, read));
    return read;
  }

  /**
   * The id of the last event of the point published to this instance's streams, or -1 while no
   * stream here follows the point (or its feed is still learning where it stands).
   */
  public long lastPublished(UUID point) {
    Feed feed = feeds.get(point);
    return feed == null ? -1 : feed.last();
  }

  public EventStore store() {
    return store;
  }

  /**
   * Whether this instance's feed of the point is live: it knows where the point stands, its last
   * read of the events did not fail, and a read of the database succeeded in the last few seconds
   * (a probe every second while any stream is open, so a database that fails or hangs shows within
   * about {@value #LIVE_WITHIN_MILLIS} ms). Streams send their named heartbeats only while it is.
   */
  public boolean live(UUID point) {
    Feed feed = feeds.get(point);
    long now = System.nanoTime();
    boolean stuck = probing && now - probeStarted > LIVE_WITHIN_MILLIS * 1_000_000;
    return feed != null && feed.last() >= 0 && !feed.failing && !readFailing && !stuck
        && now - lastReadOk <= LIVE_WITHIN_MILLIS * 1_000_000;
  }

  /** One small read, while streams are open here, to learn whether the database still answers. */
  private void probe() {
    if (feeds.isEmpty()) {
      lastReadOk = System.nanoTime();
      readFailing = false;
      return;
    }
    if (probing) {
      return; // the last probe has not come back: live() counts it as stuck once it is too old
    }
    probing = true;
    probeStarted = System.nanoTime();
    pool.query("SELECT 1").execute().onComplete(result -> {
      probing = false;
      readFailing = result.failed();
      if (result.succeeded()) {
        lastReadOk = System.nanoTime();
      }
    });
  }

  /**
   * A notification: an event that carries itself whole is published at once when it directly
   * follows the last one published for its point (no read of the table on the way from a counter
   * to the screens); otherwise, or when it names only its point and id, the feed reads the table.
   */
  private void notified(String payload) {
    try {
      LiveEvent event = LiveEvent.fromNotification(payload);
      if (event != null) {
        committed(event);
        return;
      }
      int colon = payload.indexOf(':');
      Feed feed = feeds.get(UUID.fromString(colon < 0 ? payload : payload.substring(0, colon)));
      if (feed != null) {
        feed.wake();
      }
    } catch (RuntimeException e) {
      LOG.warn("Ignoring a malformed queue notification: {}", payload.length() > 200 ? payload.substring(0, 200) : payload);
    }
  }

  private void catchUpAll() {
    feeds.values().forEach(Feed::wake);
  }

  /** One point's events on this instance: read in order, one read at a time, published locally. */
  private final class Feed {
    private final UUID point;
    private final io.vertx.core.Promise<Void> ready = io.vertx.core.Promise.promise();
    /** The subscribers by event loop; each list is replaced, never changed, so a publish reads it without a lock. */
    private volatile Map<Context, List<Subscription>> byLoop = Map.of();
    private long last = -1;
    private boolean started;
    private boolean reading;
    private boolean again;
    private volatile boolean failing;

    Feed(UUID point) {
      this.point = point;
    }

    synchronized void add(Subscription subscription) {
      var next = new java.util.HashMap<>(byLoop);
      var list = new ArrayList<>(next.getOrDefault(subscription.context, List.of()));
      list.add(subscription);
      next.put(subscription.context, List.copyOf(list));
      byLoop = Map.copyOf(next);
    }

    /** Removes the subscriber; how many are left. */
    synchronized int remove(Subscription subscription) {
      var list = new ArrayList<>(byLoop.getOrDefault(subscription.context, List.of()));
      if (list.remove(subscription)) {
        var next = new java.util.HashMap<>(byLoop);
        if (list.isEmpty()) {
          next.remove(subscription.context);
        } else {
          next.put(subscription.context, List.copyOf(list));
        }
        byLoop = Map.copyOf(next);
      }
      return subscribers();
    }

    int subscribers() {
      return byLoop.values().stream().mapToInt(List::size).sum();
    }

    /** One task per event loop, calling its subscribers in turn; tasks of one loop run in the order posted. */
    private void publish(LiveEvent event) {
      byLoop.forEach((loop, subscribers) -> loop.runOnContext(v -> {
        for (Subscription s : subscribers) {
          s.handler.handle(event);
        }
      }));
    }

    /** Learns the point's last event id, then is ready; events after it are published from then on. */
    void startOnce() {
      synchronized (this) {
        if (started) {
          return;
        }
        started = true;
        reading = true;
      }
      store.last(pool, point).onComplete(result -> {
        if (result.failed()) {
          LOG.warn("Reading the last queue event of {} failed: {}", point, result.cause().getMessage());
          synchronized (this) {
            started = false;
            reading = false;
          }
          vertx.setTimer(1_000, id -> startOnce());
          return;
        }
        synchronized (this) {
          last = result.result();
          reading = false;
        }
        ready.tryComplete();
        wake();
      });
    }

    void wake() {
      synchronized (this) {
        if (!started || last < 0) {
          return;
        }
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        again = false;
      }
      read();
    }

    /** Publishes the event if it is the one after the last published; each id is published once. */
    synchronized boolean publishIfNext(LiveEvent event) {
      if (last < 0 || event.id() != last + 1) {
        return event.id() <= last;
      }
      last = event.id();
      publish(event);
      return true;
    }

    private synchronized long last() {
      return last;
    }

    private void read() {
      Future<Boolean> step = store.after(pool, point, last(), BATCH).map(events -> {
        events.forEach(this::publishIfNext);
        return events.size() == BATCH;
      });
      step.onComplete(result -> {
        failing = result.failed();
        if (result.failed()) {
          LOG.warn("Reading queue events of {} failed: {}", point, result.cause().getMessage());
        }
        boolean more = result.succeeded() && result.result();
        synchronized (this) {
          if (!more && !again) {
            reading = false;
            return;
          }
          again = false;
        }
        if (result.failed()) {
          vertx.setTimer(1_000, id -> read());
        } else {
          read();
        }
      });
    }
  }
}
