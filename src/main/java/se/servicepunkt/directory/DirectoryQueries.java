package se.servicepunkt.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.LocalDate;
import java.util.UUID;

/** What other features read from the directory: a point, a service, and when a point is open. */
public final class DirectoryQueries {
  private final ServicePointRepository points = new ServicePointRepository();
  private final ServiceRepository services = new ServiceRepository();
  private final HoursRepository hours = new HoursRepository();

  /** The service point, or a 404 problem. */
  public Future<ServicePoint> point(SqlClient db, UUID id) {
    return points.find(db, id);
  }

  /** The service, or a 404 problem. */
  public Future<Service> service(SqlClient db, UUID id) {
    return services.find(db, id);
  }

  public Future<Boolean> offered(SqlClient db, UUID point, UUID service) {
    return points.offered(db, point).map(list -> list.stream().anyMatch(s -> s.id().equals(service)));
  }

  /** The point's opening calendar with the exceptions and stops from {@code from} to {@code to}. */
  public Future<OpeningCalendar> calendar(SqlClient db, ServicePoint point, LocalDate from, LocalDate to) {
    var week = hours.week(db, point.id());
    var exceptions = hours.exceptions(db, point.id(), from, to);
    var stops = hours.stops(db, point.id(), from, to);
    return Future.all(week, exceptions, stops).map(all -> new OpeningCalendar(point.timeZone(), point.mobile(),
        week.result(), exceptions.result(), stops.result()));
  }
}
