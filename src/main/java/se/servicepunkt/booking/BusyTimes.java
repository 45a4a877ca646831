package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Each person's active bookings, kept between availability requests while no booking changes.
 * Residents ask for free times far more often than they book, and reading a full calendar's
 * bookings is most of what a busy availability answer costs.
 *
 * <p>Validity: a trigger advances the sequence {@code booking_change} on every booking change,
 * whichever instance or tool makes it; each availability request reads it (one tiny query, in
 * parallel with the others) before the busy times, and a kept answer serves only requests that
 * read the same value. A change made by this instance also clears what is kept as soon as it
 * commits. One window remains, for changes made on another instance: a request that reads the
 * counter after that change's trigger ran but reads the bookings before it committed keeps an
 * answer missing that booking; {@link #MAX_AGE_MILLIS} bounds it, and the booking itself is
 * still safe (the exclusion constraint answers 409 and the client asks again).
 */
final class BusyTimes {
  static final long MAX_AGE_MILLIS = 10_000;
  private static final int MAX_ENTRIES = 1_000;
  private static final String VERSION = "SELECT last_value FROM booking_change";

  private record Key(List<UUID> staff, Instant from, Instant to) {
  }

  private record Entry(Map<UUID, Slots.Timeline> busy, long loadedAt) {
  }

  /** What was read at one value of the counter. */
  private record Generation(long version, Map<Key, Entry> entries) {
  }

  /** The counter's value and the local change count when a request read it. */
  record Version(long database, long local) {
  }

  private final BookingRepository bookings;
  private final LongSupplier millis;
  private final AtomicLong localChanges = new AtomicLong();
  private volatile Generation current = new Generation(Long.MIN_VALUE, new ConcurrentHashMap<>());

  BusyTimes(BookingRepository bookings, LongSupplier millis) {
    this.bookings = bookings;
    this.millis = millis;
  }

  Future<Version> version(SqlClient db) {
    long local = localChanges.get();
    return db.query(VERSION).execute().map(rows -> new Version(rows.iterator().next().getLong(0), local));
  }

  /** The busy times of these people in [from, to), kept or read. */
  Future<Map<UUID, Slots.Timeline>> busy(SqlClient db, Version version, List<UUID> staff, Instant from, Instant to) {
    var key = new Key(staff.stream().sorted().toList(), from, to);
    Generation generation = current;
    if (generation.version() == version.database()) {
      Entry kept = generation.entries().get(key);
      if (kept != null && millis.getAsLong() - kept.loadedAt() < MAX_AGE_MILLIS) {
        return Future.succeededFuture(kept.busy());
      }
    }
    long loadedAt = millis.getAsLong();
    return bookings.busy(db, staff, from, to).onSuccess(busy -> keep(version, key, new Entry(busy, loadedAt)));
  }

  /** A booking changed here: nothing kept so far may serve another request. */
  synchronized void changed() {
    localChanges.incrementAndGet();
    current = new Generation(Long.MIN_VALUE, new ConcurrentHashMap<>());
  }

  private synchronized void keep(Version version, Key key, Entry entry) {
    if (version.local() != localChanges.get() || version.database() < current.version()) {
      return;
    }
    if (version.database() > current.version() || current.entries().size() >= MAX_ENTRIES) {
      current = new Generation(version.database(), new ConcurrentHashMap<>());
    }
    current.entries().put(key, entry);
  }
}
