package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.servicepunkt.db.CountedCache;

/**
 * Each person's active bookings, kept between availability requests while no booking changes
 * ({@link CountedCache} on the sequence {@code booking_change}, which a trigger advances on every
 * booking change). Residents ask for free times far more often than they book, and reading a
 * full calendar's bookings is most of what a busy availability answer costs. A stale answer can
 * only offer a time that is gone: the exclusion constraint still answers 409 and the client asks
 * again.
 */
final class BusyTimes {
  static final long MAX_AGE_MILLIS = 10_000;

  private record Key(List<UUID> staff, Instant from, Instant to) {
  }

  private final BookingRepository bookings;
  private final CountedCache kept = new CountedCache("booking_change", 1_000, MAX_AGE_MILLIS);

  BusyTimes(BookingRepository bookings) {
    this.bookings = bookings;
  }

  Future<CountedCache.Version> version(SqlClient db) {
    return kept.version(db);
  }

  /** The busy times of these people in [from, to), kept or read. */
  Future<Map<UUID, Slots.Timeline>> busy(SqlClient db, CountedCache.Version version, List<UUID> staff, Instant from,
                                         Instant to) {
    return kept.get(version, new Key(staff.stream().sorted().toList(), from, to),
        () -> bookings.busy(db, staff, from, to));
  }

  /** A booking changed here. */
  void changed() {
    kept.changed();
  }
}
