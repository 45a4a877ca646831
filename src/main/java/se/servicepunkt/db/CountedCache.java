package se.servicepunkt.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Answers kept in memory while a change counter in the database stands still: a sequence that
 * triggers advance on every change to the tables the answers come from, whichever instance or tool
 * makes it. A request reads the counter once ({@link #version}, one tiny query) before the answers
 * it needs, and a kept answer serves only requests that read the same value. A change made by this
 * instance clears what is kept as soon as it commits ({@link #changed}), and an answer read before
 * such a change is not kept. One window remains, for a change made elsewhere: a request that reads
 * the counter after that change's trigger ran but reads the data before it committed keeps an answer
 * without it; the maximum age bounds how long.
 */
public final class CountedCache {
  /** The counter's value, and this instance's count of its own changes, when a request read it. */
  public record Version(long database, long local) {
  }

  private record Entry(Object value, long loadedAt) {
  }

  /** What was read at one value of the counter. */
  private record Generation(long version, Map<Object, Entry> entries) {
  }

  private final String versionQuery;
  private final int maxEntries;
  private final long maxAgeMillis;
  private final AtomicLong localChanges = new AtomicLong();
  private volatile Generation current = empty();

  /** @param sequence the counter: a sequence advanced by statement triggers */
  public CountedCache(String sequence, int maxEntries, long maxAgeMillis) {
    if (!sequence.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a sequence name: " + sequence);
    }
    // A new sequence shows last_value 1 before its first nextval and after it alike; is_called
    // tells them apart, or the first change would go unnoticed.
    this.versionQuery = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + sequence;
    this.maxEntries = maxEntries;
    this.maxAgeMillis = maxAgeMillis;
  }

  public Future<Version> version(SqlClient db) {
    long local = localChanges.get();
    return db.query(versionQuery).execute().map(rows -> new Version(rows.iterator().next().getLong(0), local));
  }

  /** The answer kept for {@code key} at this version, or {@code load}'s, which is then kept. */
  @SuppressWarnings("unchecked")
  public <T> Future<T> get(Version version, Object key, Supplier<Future<T>> load) {
    Generation generation = current;
    if (generation.version() == version.database()) {
      Entry kept = generation.entries().get(key);
      if (kept != null && System.currentTimeMillis() - kept.loadedAt() < maxAgeMillis) {
        return Future.succeededFuture((T) kept.value());
      }
    }
    long loadedAt = System.currentTimeMillis();
    return load.get().onSuccess(value -> keep(version, key, new Entry(value, loadedAt)));
  }

  /** This instance changed the data: nothing kept so far may serve another request. */
  public synchronized void changed() {
    localChanges.incrementAndGet();
    current = empty();
  }

  private synchronized void keep(Version version, Object key, Entry entry) {
    if (version.local() != localChanges.get() || version.database() < current.version()) {
      return;
    }
    if (version.database() > current.version() || current.entries().size() >= maxEntries) {
      current = new Generation(version.database(), new ConcurrentHashMap<>());
    }
    current.entries().put(key, entry);
  }

  private static Generation empty() {
    return new Generation(Long.MIN_VALUE, new ConcurrentHashMap<>());
  }
}
