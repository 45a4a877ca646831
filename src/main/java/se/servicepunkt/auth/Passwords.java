package se.servicepunkt.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import se.servicepunkt.core.Problem;

/**
 * Password hashing with bcrypt (salted, slow by a configurable cost; verification compares in
 * constant time). bcrypt is CPU work by design, so it runs on a small worker pool of its own
 * ({@link #WORKER}, {@code passwordWorkers} threads), never on an event loop nor on Vert.x's
 * shared worker pool: however many staff sign in at once, they take at most that many cores.
 * Sign-ins waiting for or running on that pool are counted; beyond {@code passwordMaxQueued}
 * a sign-in is refused at once (503 with {@code Retry-After}) instead of queueing for seconds.
 */
public final class Passwords {
  /** The name of the shared worker pool that runs bcrypt. */
  public static final String WORKER = "servicepunkt-passwords";

  /**
   * A sign-in's password check: whether it matched, and, when the stored hash has another cost
   * than the configured one, the password hashed again at the configured cost (else null).
   */
  public record Check(boolean verified, String rehashed) {
  }

  private static final Pattern COST = Pattern.compile("^\\$2[abxy]?\\$(\\d\\d)\\$");

  private final WorkerExecutor worker;
  private final int cost;
  private final int workers;
  private final int maxQueued;
  private final long maxWaitNanos;
  private final AtomicInteger queued = new AtomicInteger();
  /** How long one check took lately (a moving average), for the Retry-After of a refusal. */
  private volatile long checkNanos;
  private Future<String> dummyHash;

  /**
   * @param workers   threads hashing at once (at most that many cores go to bcrypt)
   * @param maxQueued sign-ins that may wait for or run on those threads; further ones are refused
   */
  public Passwords(Vertx vertx, int cost, int workers, int maxQueued) {
    this(vertx, cost, workers, maxQueued, Long.MAX_VALUE / 1_000_000);
  }

  /**
   * @param maxWaitMillis how long a sign-in may wait for the workers: one that would wait longer
   *                      (by the recent check time) is refused at once, and one that has waited
   *                      longer when its turn comes (its client gave up, or is about to) is
   *                      refused without spending a hash on it
   */
  public Passwords(Vertx vertx, int cost, int workers, int maxQueued, long maxWaitMillis) {
    this.worker = vertx.createSharedWorkerExecutor(WORKER, workers, 1, TimeUnit.MINUTES);
    this.cost = cost;
    this.workers = workers;
    this.maxQueued = maxQueued;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
  }

  public String hashNow(String password) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  /** Hashes a new password (staff accounts), on the password workers; not counted against the sign-in cap. */
  public Future<String> hash(String password) {
    return worker.executeBlocking(() -> hashNow(password), false);
  }

  /**
   * A sign-in's check of a password against a stored hash; with no hash (unknown user) it
   * verifies against a dummy one so that the answer takes as long either way. When the password
   * matches a hash of another cost (e.g. 12 before the cost was lowered), the same task hashes it
   * again at the configured cost, for the caller to store. Fails with a 503 problem when
   * {@code maxQueued} sign-ins are already waiting.
   */
  public Future<Check> check(String password, String storedHash) {
    int waiting = queued.incrementAndGet();
    if (waiting > maxQueued || (waiting - 1) * checkNanos / workers > maxWaitNanos) {
      queued.decrementAndGet();
      return Future.failedFuture(busy());
    }
    long enqueued = System.nanoTime();
    Future<String> hash = storedHash != null ? Future.succeededFuture(storedHash) : dummyHash();
    return hash.compose(h -> worker.executeBlocking(() -> {
      long started = System.nanoTime();
      if (started - enqueued > maxWaitNanos) {
        throw busy();
      }
      boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
          h.getBytes(StandardCharsets.UTF_8)).verified && storedHash != null;
      String rehashed = ok && costOf(storedHash) != cost ? hashNow(password) : null;
      long took = System.nanoTime() - started;
      checkNanos = checkNanos == 0 ? took : (checkNanos * 7 + took) / 8;
      return new Check(ok, rehashed);
    }, false)).onComplete(done -> queued.decrementAndGet());
  }

  private Problem busy() {
    return Problem.unavailable("Too many sign-ins at this moment; try again shortly.", retryAfterSeconds());
  }

  /** Sign-ins waiting for or running on the password workers now. */
  public int queued() {
    return queued.get();
  }

  /** The time the sign-ins already waiting take on the workers, rounded up to a second. */
  private long retryAfterSeconds() {
    long nanos = checkNanos * maxQueued / workers;
    return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
  }

  /** The cost a bcrypt hash was made with, or -1 when it does not look like one. */
  static int costOf(String hash) {
    Matcher m = COST.matcher(hash);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Made on first need rather than at start-up, where it would cost a bcrypt round. */
  private synchronized Future<String> dummyHash() {
    if (dummyHash == null) {
      dummyHash = hash("not-a-real-password-only-for-timing");
    }
    return dummyHash;
  }
}
