package se.servicepunkt.bench;

import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How late the load generator's own event loops run a timer due every {@value #PERIOD_MS} ms: a
 * latency the harness measures (a call reaching a screen, a snapshot) includes any time the
 * client's loop was busy before it could note the arrival, so the report shows that lag beside
 * them, and a late client is not mistaken for a slow server.
 */
final class LoopLag {
  static final long PERIOD_MS = 50;
  private final ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();

  /** Starts one probe on each of {@code loops} event-loop contexts of {@code vertx}. */
  LoopLag(Vertx vertx, int loops) {
    for (int i = 0; i < loops; i++) {
      vertx.getOrCreateContext().runOnContext(v -> schedule(vertx, System.nanoTime() + PERIOD_MS * 1_000_000));
    }
  }

  private void schedule(Vertx vertx, long due) {
    vertx.setTimer(PERIOD_MS, id -> {
      long now = System.nanoTime();
      lags.add(Math.max(0, now - due));
      schedule(vertx, now + PERIOD_MS * 1_000_000);
    });
  }

  String report() {
    long[] all = lags.stream().mapToLong(Long::longValue).toArray();
    return "client event loops, lateness of a timer due every " + PERIOD_MS + " ms: " + LoadRecorder.percentiles(all) + "\n";
  }
}
