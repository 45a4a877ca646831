package se.servicepunkt.live;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
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
  private PgSubscriber subscriber;
  private volatile boolean listening;

  public LiveHub(Vertx vertx, Pool pool, PgConnectOptions connectOptions, EventStore store, int pollSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.connectOptions = connectOptions;
    this.store = store;
    this.pollMillis = pollSeconds * 1000L;
    vertx.eventBus().registerDefaultCodec(QueueEvent.class, new QueueEvent.LocalCodec());
  }

  public static String address(UUID point) {
    return "sp.queue." + point;
  }

  public Future<Void> start() {
    subscriber = PgSubscriber.subscriber(vertx, connectOptions)
        .reconnectPolicy(attempt -> Math.min(5_000L, 200L * (attempt + 1)));
    subscriber.closeHandler(v -> {
      listening = false;
      LOG.warn("The LISTEN connection closed for good; streams now rely on polling every {} s", pollMillis / 1000);
    });
    subscriber.channel(EventStore.CHANNEL)
        .subscribeHandler(v -> {
          listening = true;
          LOG.info("Listening for queue events; catching up");
          catchUpAll();
        })
        .handler(this::notified);
    vertx.setPeriodic(pollMillis, pollMillis, id -> catchUpAll());
    return subscriber.connect();
  }

  /** Whether the LISTEN subscription was made and not given up (a dropped connection is being re-made). */
  public boolean listening() {
    return listening;
  }

  /** The events of {@code point}, from now on, on this instance; unregister the consumer to stop. */
  public MessageConsumer<QueueEvent> subscribe(UUID point, Handler<QueueEvent> handler) {
    feeds.compute(point, (id, feed) -> {
      Feed f = feed != null ? feed : new Feed(id);
      f.subscribers++;
      return f;
    });
    MessageConsumer<QueueEvent> consumer = vertx.eventBus().localConsumer(address(point), m -> handler.handle(m.body()));
    Feed feed = feeds.get(point);
    if (feed != null) {
      feed.wake();
    }
    return consumer;
  }

  public void unsubscribe(UUID point, MessageConsumer<QueueEvent> consumer) {
    consumer.unregister();
    feeds.computeIfPresent(point, (id, feed) -> --feed.subscribers <= 0 ? null : feed);
  }

  /** How many streams this instance holds for the point. */
  public int subscribers(UUID point) {
    Feed feed = feeds.get(point);
    return feed == null ? 0 : feed.subscribers;
  }

  public EventStore store() {
    return store;
  }

  private void notified(String payload) {
    int colon = payload.indexOf(':');
    try {
      Feed feed = feeds.get(UUID.fromString(colon < 0 ? payload : payload.substring(0, colon)));
      if (feed != null) {
        feed.wake();
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring a malformed queue notification: {}", payload);
    }
  }

  private void catchUpAll() {
    feeds.values().forEach(Feed::wake);
  }

  /** One point's events on this instance: read in order, one read at a time, published locally. */
  private final class Feed {
    private final UUID point;
    private int subscribers;
    private long last = -1;
    private boolean reading;
    private boolean again;

    Feed(UUID point) {
      this.point = point;
    }

    void wake() {
      synchronized (this) {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        again = false;
      }
      read();
    }

    private void read() {
      Future<Boolean> step = last < 0
          ? store.last(pool, point).map(id -> {
              last = id;
              return false;
            })
          : store.after(pool, point, last, BATCH).map(events -> {
              for (QueueEvent event : events) {
                last = event.id();
                vertx.eventBus().publish(address(point), event);
              }
              return events.size() == BATCH;
            });
      step.onComplete(result -> {
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
