package se.servicepunkt.auth;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.db.CountedCache;
import se.servicepunkt.web.SseStream;

/**
 * Ends a member of staff's open event streams once their sign-in no longer stands (deactivated,
 * roles or organisation changed, signed out everywhere, password changed): a request is checked
 * when it comes, but a stream is one request that stays open all day. Every {@link #CHECK_MILLIS}
 * this instance reads the staff change counter (one tiny query, only while it has such streams);
 * when it moved, or a stream is new since the last look, each stream's sign-in is checked again
 * ({@link StaffAccess#stands}, one read per member of staff) and those that no longer stand get a
 * last event {@code access-ended} and are ended. A change made on any instance, or by hand in the
 * database, moves the counter, so the stream ends within a few seconds wherever it is served.
 */
final class StreamRevocation {
  /** How often the counter is read while streams are open. */
  static final long CHECK_MILLIS = 2_000;
  /** The last event of an ended stream; the console goes back to sign-in when it sees it. */
  static final String EVENT = "access-ended";
  private static final String DATA = "{\"reason\":\"This sign-in has ended (signed out, password or roles changed,"
      + " or the account deactivated); sign in again.\"}";
  private static final Logger LOG = LoggerFactory.getLogger(StreamRevocation.class);

  private record Watch(Caller caller, int sessionVersion, Context context) {
  }

  private final StaffAccess access;
  private final Map<SseStream, Watch> watched = new ConcurrentHashMap<>();
  private final Map<SseStream, Boolean> unchecked = new ConcurrentHashMap<>();
  private Vertx vertx;
  private long timer = -1;
  private boolean checking;
  private CountedCache.Version seen;

  StreamRevocation(StaffAccess access) {
    this.access = access;
  }

  /** Watches {@code sse}, opened for {@code caller} with a token issued at {@code sessionVersion}. */
  void watch(Vertx vertx, SseStream sse, Caller caller, int sessionVersion) {
    watched.put(sse, new Watch(caller, sessionVersion, Vertx.currentContext()));
    unchecked.put(sse, Boolean.TRUE);
    sse.onClose(() -> {
      watched.remove(sse);
      unchecked.remove(sse);
    });
    start(vertx);
  }

  /** How many streams this instance watches (tests). */
  int watching() {
    return watched.size();
  }

  private synchronized void start(Vertx vertx) {
    this.vertx = vertx;
    if (timer < 0) {
      timer = vertx.setPeriodic(CHECK_MILLIS, id -> tick());
    }
  }

  private synchronized void tick() {
    if (watched.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
      return;
    }
    if (checking) {
      return; // the last look has not finished: a slow database is not asked twice at once
    }
    checking = true;
    access.version()
        .onSuccess(version -> {
          boolean moved = !version.equals(seen);
          seen = version;
          watched.forEach((sse, watch) -> {
            boolean fresh = unchecked.remove(sse) != null;
            if (moved || fresh) {
              check(sse, watch);
            }
          });
        })
        .onFailure(e -> LOG.warn("Could not read the staff change counter for open streams: {}", e.toString()))
        .onComplete(done -> {
          synchronized (this) {
            checking = false;
          }
        });
  }

  private void check(SseStream sse, Watch watch) {
    access.stands(watch.caller(), watch.sessionVersion()).onSuccess(stands -> {
      if (!stands) {
        Runnable end = () -> sse.end(EVENT, DATA);
        if (watch.context() != null) {
          watch.context().runOnContext(v -> end.run());
        } else {
          end.run();
        }
      }
    });
  }
}
