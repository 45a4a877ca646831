package se.servicepunkt.queue;

import io.vertx.core.Handler;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.live.LiveEvent;
import se.servicepunkt.live.LiveHub;

/**
 * One instance-wide listener of a point's events (not a client's stream), which may be stopped
 * before the hub has answered its subscription: it then unsubscribes the moment the answer comes.
 */
final class PointListener {
  private static final Logger LOG = LoggerFactory.getLogger(PointListener.class);
  private final LiveHub hub;
  private final UUID point;
  private LiveHub.Subscription subscription;
  private boolean stopped;

  /** @param what what is followed, for the log when the subscription fails */
  PointListener(LiveHub hub, UUID point, Handler<LiveEvent> handler, String what) {
    this.hub = hub;
    this.point = point;
    hub.subscribe(point, handler).onComplete(result -> {
      synchronized (this) {
        if (result.failed()) {
          LOG.warn("Following {} of {} failed: {}", what, point, result.cause().toString());
        } else if (stopped) {
          hub.unsubscribe(point, result.result());
        } else {
          subscription = result.result();
        }
      }
    });
  }

  /** No longer hears the point's events. */
  synchronized void stop() {
    stopped = true;
    if (subscription != null) {
      hub.unsubscribe(point, subscription);
      subscription = null;
    }
  }
}
