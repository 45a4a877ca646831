package se.servicepunkt.queue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One read that many changes ask for: it runs one at a time, and starts at least
 * {@code minInterval} after the one before started. A request while a read runs asks for one more
 * right after it (or when the interval is over), shared by every request made in the meantime, and a
 * request while a read waits for its interval to end joins that read; so
 * however fast a point changes, it costs at most one read per interval, and the last change is
 * always followed by a read that includes it.
 */
final class CoalescedReads<T> {
  private final Vertx vertx;
  private final LongSupplier minIntervalNanos;
  private final Supplier<Future<T>> read;
  private final Handler<AsyncResult<T>> done;
  private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
  private Promise<T> running;
  /** Whether the running read has started; until then it waits out the interval and takes every request. */
  private boolean runningStarted;
  private Promise<T> next;
  private long lastStart;

  /**
   * @param read the read, made afresh for each run
   * @param done called with each read's result, before the futures of its requests complete
   */
  CoalescedReads(Vertx vertx, Duration minInterval, Supplier<Future<T>> read, Handler<AsyncResult<T>> done) {
    this(vertx, () -> minInterval.toNanos(), read, done);
  }

  /**
   * @param minIntervalNanos the interval in nanoseconds, asked for anew before each read (it may
   *                         grow with what a read costs)
   */
  CoalescedReads(Vertx vertx, LongSupplier minIntervalNanos, Supplier<Future<T>> read, Handler<AsyncResult<T>> done) {
    this.vertx = vertx;
    this.minIntervalNanos = minIntervalNanos;
    this.read = read;
    this.done = done;
    this.lastStart = System.nanoTime() - minIntervalNanos.getAsLong();
  }

  /**
   * The read that starts next: at once when none runs (and the interval is over); the one waiting
   * for its interval to end, which will include this request's change; else the one right after
   * the running one.
   */
  synchronized Future<T> request() {
    if (running != null && !runningStarted) {
      return running.future();
    }
    if (running == null) {
      running = Promise.promise();
      Promise<T> now = running;
      long wait = minIntervalNanos.getAsLong() - (System.nanoTime() - lastStart);
      later(wait, now);
      return now.future();
    }
    if (next == null) {
      next = Promise.promise();
    }
    return next.future();
  }

  /** How many reads have started. */
  long reads() {
    return started.get();
  }

  private void later(long waitNanos, Promise<T> promise) {
    if (waitNanos >= 1_000_000) {
      vertx.setTimer(waitNanos / 1_000_000, t -> start(promise));
    } else {
      start(promise);
    }
  }

  private void start(Promise<T> promise) {
    synchronized (this) {
      lastStart = System.nanoTime();
      runningStarted = true;
    }
    started.incrementAndGet();
    Future<T> result;
    try {
      result = read.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(outcome -> {
      done.handle(outcome);
      promise.handle(outcome);
      Promise<T> following;
      long wait;
      synchronized (this) {
        following = next;
        next = null;
        running = following;
        runningStarted = false;
        wait = minIntervalNanos.getAsLong() - (System.nanoTime() - lastStart);
      }
      if (following != null) {
        later(wait, following);
      }
    });
  }
}
