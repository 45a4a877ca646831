package se.servicepunkt.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What booking reads from the directory on every request (a point with a service, a point's
 * opening calendar), kept in memory while nothing in the directory changes. A trigger advances the
 * sequence {@code directory_change} on every change to the tables those answers come from, made
 * by any instance or tool; a request reads the sequence once ({@link #version}) and uses kept
 * answers only from that same value. As with the busy times, a change whose trigger ran but which
 * had not committed when an answer was read can leave that answer kept for at most
 * {@link #MAX_AGE_MILLIS}; bookings stay safe (the insert itself checks the shift and overlaps).
 */
public final class DirectoryCache {
  public static final long MAX_AGE_MILLIS = 10_000;
  private static final int MAX_ENTRIES = 2_000;
  private static final String VERSION = "SELECT last_value FROM directory_change";

  private record Entry(Object value, long loadedAt) {
  }

  private record Generation(long version, Map<String, Entry> entries) {
  }

  private final DirectoryQueries directory = new DirectoryQueries();
  private final LongSupplier millis;
  private volatile Generation current = new Generation(Long.MIN_VALUE, new ConcurrentHashMap<>());

  public DirectoryCache(LongSupplier millis) {
    this.millis = millis;
  }

  /** The directory's change counter now: read it once per request, before the answers it validates. */
  public Future<Long> version(SqlClient db) {
    return db.query(VERSION).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<DirectoryQueries.PointAndService> pointAndService(SqlClient db, long version, UUID point, UUID service) {
    return kept(version, "ps:" + point + ":" + service, () -> directory.pointAndService(db, point, service));
  }

  public Future<OpeningCalendar> calendar(SqlClient db, long version, ServicePoint point, LocalDate from, LocalDate to) {
    return kept(version, "cal:" + point.id() + ":" + from + ":" + to, () -> directory.calendar(db, point, from, to));
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> kept(long version, String key, Supplier<Future<T>> load) {
    Generation generation = current;
    if (generation.version() == version) {
      Entry entry = generation.entries().get(key);
      if (entry != null && millis.getAsLong() - entry.loadedAt() < MAX_AGE_MILLIS) {
        return Future.succeededFuture((T) entry.value());
      }
    }
    long loadedAt = millis.getAsLong();
    return load.get().onSuccess(value -> keep(version, key, new Entry(value, loadedAt)));
  }

  private synchronized void keep(long version, String key, Entry entry) {
    if (version < current.version()) {
      return;
    }
    if (version > current.version() || current.entries().size() >= MAX_ENTRIES) {
      current = new Generation(version, new ConcurrentHashMap<>());
    }
    current.entries().put(key, entry);
  }
}
