package se.servicepunkt.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Contexts;
import se.servicepunkt.web.SseStream;

/**
 * One client's stream of a service point's queue: a {@code snapshot} event first (or, when the
 * client resumes with a last event id that is still stored, the events it missed), then every
 * event in id order, each shown through the stream's {@link View}. Events that arrive while the
 * stream is catching up wait in order; a gap in the ids (a stream that joined between two reads
 * of the feed) is filled from the table, so a client never misses an event and never sees one twice.
 * Everything runs on the event loop of the client's connection.
 */
public final class EventStream {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventStream.class);
  /** A view's whole state, and the id of the last event it includes. */
  public record Snapshot(long lastEventId, JsonObject data) {
  }

  /** What one kind of stream shows. */
  public interface View {
    /** The state now; read in one database snapshot with the id of the last event it includes. */
    Future<Snapshot> snapshot();

    /** The data of the frame for {@code event}, or null to send nothing for it. */
    String render(LiveEvent event);

    /**
     * Views of one kind show every event alike, so its frame is built once for all their streams;
     * null for views whose frames are their own.
     */
    default String kind() {
      return null;
    }

    /**
     * Whether the stream is handed the point's events. A view whose frames are all its own (a
     * visitor's ticket, whose states come from elsewhere) is not: it would skip every event of the
     * point, a thousand streams at a busy lobby, only to count them. Such a stream always starts
     * from its snapshot, since it has no events to replay, and sends its frames with their own ids.
     */
    default boolean followsEvents() {
      return true;
    }

    /** Before anything else: the stream this view shows, for views that send frames of their own. */
    default void opened(EventStream stream) {
    }

    /** Once the stream has sent its snapshot (or the events it missed) and follows the point's events. */
    default void started(EventStream stream) {
    }

    /** After each event (sent or not): a view may send more, e.g. a visitor's new position. */
    default void delivered(LiveEvent event, EventStream stream) {
    }
  }

  private final LiveHub hub;
  private final Pool pool;
  private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
  private final UUID point;
  private final View view;
  private final SseStream sse;
  private final int replayMax;
  private final ArrayDeque<LiveEvent> pending = new ArrayDeque<>();
  private long last = -1;
  /** The id of the state the client started from (its snapshot's, or the last it had and the events it missed); -1 before. */
  private long startedFrom = -1;
  /** Whether the stream went on from the client's last event id (no snapshot). */
  private boolean resumed;
  private boolean catchingUp = true;

  private EventStream(LiveHub hub, Pool pool, UUID point, View view, SseStream sse, int replayMax) {
    this.hub = hub;
    this.pool = pool;
    this.point = point;
    this.view = view;
    this.sse = sse;
    this.replayMax = replayMax;
  }

  /**
   * Streams {@code point} through {@code view}: from {@code lastEventId} when the client sent one
   * (header {@code Last-Event-ID} or query {@code lastEventId}) and it can be replayed, else from a snapshot.
   */
  public static EventStream start(LiveHub hub, Pool pool, UUID point, View view, SseStream sse, Long lastEventId,
                                  int replayMax) {
    var stream = new EventStream(hub, pool, point, view, sse, replayMax);
    sse.heartbeatWhile(() -> hub.live(point)); // a feed that cannot read the database sends no named heartbeat
    view.opened(stream);
    Future<Void> started = !view.followsEvents()
        ? stream.snapshot()
        : hub.subscribe(point, stream::received).compose(subscription -> {
          sse.onClose(() -> hub.unsubscribe(point, subscription));
          return lastEventId != null ? stream.resume(lastEventId) : stream.snapshot();
        });
    started
        .onSuccess(v -> {
          stream.startedFrom = stream.last;
          stream.caughtUp();
          view.started(stream);
        })
        .onFailure(e -> {
          LOG.warn("A stream of {} could not start: {}", point, e.toString());
          sse.close();
        });
    return stream;
  }

  public SseStream sse() {
    return sse;
  }

  public UUID point() {
    return point;
  }

  /** Whether the stream went on from the client's last event id instead of sending a snapshot (once started). */
  public boolean resumed() {
    return resumed;
  }

  /**
   * Sends a frame that is not an event of the table and has no id (so the client's last event id
   * stays), read when the point's last event was {@code includes}: not before the stream has
   * started, and not when the stream started from a newer state than that read's.
   */
  public void sendBeside(long includes, io.vertx.core.buffer.Buffer frame) {
    if (startedFrom >= 0 && includes >= startedFrom) {
      sse.write(frame);
    }
  }

  private Future<Void> resume(long from) {
    long published = hub.lastPublished(point);
    Future<Long> newest = published >= 0 ? Future.succeededFuture(published) : hub.store().last(pool, point);
    return newest.compose(current -> {
      if (from > current || from < 0) {
        return snapshot();
      }
      if (from == current) {
        last = from;
        resumed = true;
        return Future.succeededFuture();
      }
      return Contexts.on(context, hub.after(point, from, replayMax + 1)).compose(events -> {
        if (events.isEmpty() || events.size() > replayMax || events.get(0).id() != from + 1) {
          return snapshot();
        }
        last = from;
        resumed = true;
        events.forEach(this::deliver);
        return Future.succeededFuture();
      });
    });
  }

  private Future<Void> snapshot() {
    return view.snapshot().map(snapshot -> {
      last = snapshot.lastEventId();
      sse.send(last, "snapshot", snapshot.data().encode());
      return null;
    });
  }

  private void received(LiveEvent event) {
    pending.add(event);
    if (!catchingUp) {
      drain();
    }
  }

  private void caughtUp() {
    catchingUp = false;
    drain();
  }

  private void drain() {
    while (!pending.isEmpty() && !sse.isClosed()) {
      LiveEvent next = pending.peek();
      if (next.id() <= last) {
        pending.poll();
      } else if (next.id() == last + 1) {
        deliver(pending.poll());
      } else {
        fillGap(next.id());
        return;
      }
    }
  }

  /** Reads the events between the last one sent and {@code upTo} from the table, then goes on. */
  private void fillGap(long upTo) {
    catchingUp = true;
    Contexts.on(context, hub.after(point, last, (int) Math.min(upTo - last - 1, 10_000))).onComplete(result -> {
      if (result.failed()) {
        sse.close();
        return;
      }
      List<LiveEvent> missed = result.result();
      for (LiveEvent event : missed) {
        if (event.id() == last + 1) {
          deliver(event);
        }
      }
      if (last < upTo - 1) {
        sse.close(); // the missing events are gone from the table: the client reconnects for a snapshot
        return;
      }
      caughtUp();
    });
  }

  private void deliver(LiveEvent event) {
    last = event.id();
    String kind = view.kind();
    sse.write(kind == null
        ? SseStream.frame(event.id(), event.type(), view.render(event))
        : event.frame(kind, e -> SseStream.frame(e.id(), e.type(), view.render(e))));
    view.delivered(event, this);
  }
}
