package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Input;

/**
 * Finds the service point a request names ({@code :id}) and checks who may change it: the admins
 * of its host organisation, and system administrators.
 */
final class PointAccess {
  private final ServicePointRepository points = new ServicePointRepository();
  private final Clock clock;

  PointAccess(Clock clock) {
    this.clock = clock;
  }

  static UUID pointId(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", ServicePointRepository.WHAT);
  }

  Future<ServicePoint> find(SqlClient db, RoutingContext ctx) {
    return points.find(db, pointId(ctx));
  }

  /** The point, if the caller administers its host; else 403 (or 404 when there is no such point). */
  Future<ServicePoint> forHostAdmin(SqlClient db, RoutingContext ctx) {
    return find(db, ctx).map(Caller.of(ctx).ifAdminOf(ServicePoint::organisationId));
  }

  /** Today in the point's own time zone. */
  LocalDate today(ServicePoint point) {
    return LocalDate.now(clock.withZone(point.timeZone()));
  }

  /** A {@code from}/{@code to} query range of local dates, defaulting to a year from today, at most 366 days. */
  DateRange range(RoutingContext ctx, ServicePoint point) {
    Input in = Requests.query(ctx);
    LocalDate from = in.optionalDate("from");
    LocalDate to = in.optionalDate("to");
    LocalDate first = from != null ? from : today(point);
    LocalDate last = to != null ? to : first.plusDays(365);
    in.checkRange(first, last, 366).done();
    return new DateRange(first, last);
  }

  record DateRange(LocalDate from, LocalDate to) {
  }
}
