package se.servicepunkt.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
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

  /** The services offered at the point. */
  public Future<java.util.List<Service>> services(SqlClient db, UUID point) {
    return points.offered(db, point);
  }

  public Future<Boolean> offered(SqlClient db, UUID point, UUID service) {
    return points.offered(db, point).map(list -> list.stream().anyMatch(s -> s.id().equals(service)));
  }

  /** The point's opening calendar with the exceptions and stops from {@code from} to {@code to}. */
  public Future<OpeningCalendar> calendar(SqlClient db, ServicePoint point, LocalDate from, LocalDate to) {
    return hours.hours(db, point.id(), from, to).map(h -> new OpeningCalendar(point.timeZone(), point.mobile(),
        h.week(), h.exceptions(), h.stops()));
  }

  /** A service point, a service, and whether the service is offered there; empty point or service when unknown. */
  public record PointAndService(ServicePoint point, Service service, boolean offered) {
  }

  private static final String POINT_AND_SERVICE = """
      SELECT p.id, p.organisation_id, o.name AS organisation_name, p.name, p.kind, p.time_zone,
             p.street, p.postal_code, p.city, p.description,
             (SELECT row_to_json(s) FROM (
                SELECT s.id, s.organisation_id, s.name_sv, s.name_en, s.ticket_letter, s.duration_minutes, s.channels,
                       s.min_notice_minutes, s.horizon_days, s.cancel_cutoff_minutes, s.wait_target_minutes
                FROM service s WHERE s.id = $2) s) AS service,
             EXISTS (SELECT 1 FROM service_offering f WHERE f.service_point_id = p.id AND f.service_id = $2) AS offered
      FROM service_point p JOIN organisation o ON o.id = p.organisation_id
      WHERE p.id = $1""";
  private static final String SERVICE_ONLY = """
      SELECT s.id, s.organisation_id, s.name_sv, s.name_en, s.ticket_letter, s.duration_minutes, s.channels,
             s.min_notice_minutes, s.horizon_days, s.cancel_cutoff_minutes, s.wait_target_minutes
      FROM service s WHERE s.id = $1""";

  /** Point, service and offering in one round trip (booking's hot path). */
  public Future<PointAndService> pointAndService(SqlClient db, UUID point, UUID service) {
    return db.preparedQuery(POINT_AND_SERVICE).execute(Tuple.of(point, service)).compose(rows -> {
      if (rows.size() == 0) {
        return db.preparedQuery(SERVICE_ONLY).mapping(Service::from).execute(Tuple.of(service))
            .map(s -> new PointAndService(null, s.size() == 0 ? null : s.iterator().next(), false));
      }
      var row = rows.iterator().next();
      var json = row.getJsonObject("service");
      return Future.succeededFuture(new PointAndService(ServicePoint.from(row),
          json == null ? null : Service.fromJson(json), row.getBoolean("offered")));
    });
  }
}
