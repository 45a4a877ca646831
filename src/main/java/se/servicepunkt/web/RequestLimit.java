package se.servicepunkt.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import se.servicepunkt.core.Problem;

/**
 * The instance's door: how many API requests it works on at once, over all its event loops; one
 * more is refused at once with 503 and {@code Retry-After: 1} instead of joining a queue (of the
 * event loops, the database pool or the password workers) it would wait in for seconds. Above
 * capacity the server then stays quick for the requests it takes and tells the others to come
 * back, rather than being slow for everyone, and a refusal costs next to nothing.
 *
 * <p>The number is adaptive, bounded by {@code max}: the door watches how long the requests it let
 * in took, in windows of {@link #WINDOW_MS} ms. When even the quickest request of a window took
 * longer than {@code targetMs}, two windows running, a queue is standing somewhere behind the door
 * (every request waits, not just slow kinds), and the number let in shrinks by a quarter; each window
 * whose quickest request was within the target lets it grow again by a sixteenth of {@code max},
 * so it is back at {@code max} within two seconds of the load dropping. This is the idea of CoDel
 * (queueing judged by its minimum, which a few slow requests cannot raise) applied to concurrency.
 * Event streams ({@code …/events}) are long-lived and counted by {@link StreamLimits} instead.
 */
public final class RequestLimit implements Handler<RoutingContext> {
  static final long WINDOW_MS = 100;
  /** Fewer completions than this in a window say nothing about queueing. */
  static final int WINDOW_MIN_COMPLETIONS = 8;
  private static final String STREAM_SUFFIX = "/events";

  private final int max;
  private final int floor;
  private final int step;
  private final long targetNanos;
  private final LongSupplier nanoClock;
  private final AtomicInteger inProgress = new AtomicInteger();
  private volatile int limit;
  // the current window, guarded by this
  private long windowStart;
  private long windowMin = Long.MAX_VALUE;
  private int windowCount;
  private int slowWindows;

  public RequestLimit(int max, int targetMs) {
    this(max, targetMs, System::nanoTime);
  }

  RequestLimit(int max, int targetMs, LongSupplier nanoClock) {
    this.max = max;
    this.floor = Math.max(1, Math.min(max, Math.max(4, max / 16)));
    this.step = Math.max(1, max / 16);
    this.targetNanos = TimeUnit.MILLISECONDS.toNanos(targetMs);
    this.nanoClock = nanoClock;
    this.limit = max;
    this.windowStart = nanoClock.getAsLong();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().path().endsWith(STREAM_SUFFIX)) {
      ctx.next();
      return;
    }
    if (!enter()) {
      ctx.fail(Problem.unavailable("The server is busy at this moment; try again shortly.", 1));
      return;
    }
    long started = nanoClock.getAsLong();
    ctx.addEndHandler(done -> leave(nanoClock.getAsLong() - started));
    ctx.next();
  }

  /** Lets one request in, or false when as many as the door allows now are in progress. */
  boolean enter() {
    if (inProgress.incrementAndGet() > limit) {
      inProgress.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A request let in has ended after {@code nanos}. */
  void leave(long nanos) {
    inProgress.decrementAndGet();
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (now - windowStart >= TimeUnit.MILLISECONDS.toNanos(WINDOW_MS)) {
        closeWindow();
        windowStart = now;
      }
      windowMin = Math.min(windowMin, nanos);
      windowCount++;
    }
  }

  private void closeWindow() {
    if (windowCount >= WINDOW_MIN_COMPLETIONS) {
      if (windowMin > targetNanos) {
        if (++slowWindows >= 2) {
          limit = Math.max(floor, limit - Math.max(1, limit / 4));
        }
      } else {
        slowWindows = 0;
        limit = Math.min(max, limit + step);
      }
    } else if (windowCount == 0 || windowMin <= targetNanos) {
      limit = Math.min(max, limit + step); // quiet: nothing queues
    }
    windowMin = Long.MAX_VALUE;
    windowCount = 0;
  }

  /** API requests in progress on this instance now. */
  public int inProgress() {
    return inProgress.get();
  }

  /** How many API requests the door lets in at once now. */
  public int limit() {
    return limit;
  }
}
