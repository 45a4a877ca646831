package se.servicepunkt.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * An allowance per key (a client address, an e-mail address's hash): {@code capacity} takes,
 * refilled over {@code period}, in memory on this instance. Keys not used for
 * {@code forgetAfter} are forgotten, and at most {@code maxKeys} are kept.
 */
public final class Allowances {
  private final int capacity;
  private final Duration period;
  private final Cache<String, Bucket> buckets;

  public Allowances(int capacity, Duration period, Duration forgetAfter, int maxKeys) {
    this.capacity = capacity;
    this.period = period;
    this.buckets = Caffeine.newBuilder().expireAfterAccess(forgetAfter).maximumSize(maxKeys).build();
  }

  private Bucket of(String key) {
    return buckets.get(key, k -> Bucket.builder()
        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period)).build());
  }

  /** Takes one for {@code key}: 0 when it was taken, else the seconds (at least 1) until one is there again. */
  public long take(String key) {
    var probe = of(key).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? 0 : seconds(probe.getNanosToWaitForRefill());
  }

  /** Takes nothing: 0 when {@code key} has one to take, else the seconds (at least 1) until it has. */
  public long waitFor(String key) {
    Bucket bucket = of(key);
    return bucket.getAvailableTokens() > 0 ? 0 : seconds(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
  }

  /** Spends one for {@code key} if there is one (a failure counted after the fact). */
  public void spend(String key) {
    of(key).tryConsume(1);
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
