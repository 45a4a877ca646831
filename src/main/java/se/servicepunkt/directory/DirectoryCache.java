package se.servicepunkt.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.LocalDate;
import java.util.UUID;
import se.servicepunkt.db.CountedCache;

/**
 * What booking and the residents' pages read from the directory on every request (a point with a
 * service, a point's opening calendar, the whole public directory), kept in memory while nothing in the directory changes ({@link CountedCache}
 * on the sequence {@code directory_change}, which triggers advance on every change to the tables
 * these answers come from). Bookings stay safe with a stale answer: the insert itself checks the
 * shift and overlaps.
 */
public final class DirectoryCache {
  public static final long MAX_AGE_MILLIS = 10_000;

  private record PointAndServiceKey(UUID point, UUID service) {
  }

  private record CalendarKey(UUID point, LocalDate from, LocalDate to) {
  }

  private record OverviewKey(LocalDate from, LocalDate to) {
  }

  private final DirectoryQueries directory = new DirectoryQueries();
  private final CountedCache kept = new CountedCache("directory_change", 2_000, MAX_AGE_MILLIS);

  /** The directory's change counter now: read it once per request, before the answers it validates. */
  public Future<CountedCache.Version> version(SqlClient db) {
    return kept.version(db);
  }

  public Future<DirectoryQueries.PointAndService> pointAndService(SqlClient db, CountedCache.Version version, UUID point,
                                                                  UUID service) {
    return kept.get(version, new PointAndServiceKey(point, service), () -> directory.pointAndService(db, point, service));
  }

  public Future<OpeningCalendar> calendar(SqlClient db, CountedCache.Version version, ServicePoint point, LocalDate from,
                                          LocalDate to) {
    return kept.get(version, new CalendarKey(point.id(), from, to), () -> directory.calendar(db, point, from, to));
  }

  /** Every service point with its services and calendar from {@code from} to {@code to}, and every organisation. */
  public Future<DirectoryOverview> overview(io.vertx.sqlclient.Pool pool, CountedCache.Version version, LocalDate from,
                                            LocalDate to) {
    return kept.get(version, new OverviewKey(from, to), () -> DirectoryOverview.read(pool, from, to));
  }
}
