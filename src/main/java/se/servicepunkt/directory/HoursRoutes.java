package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.web.Responses;

/**
 * When a service point is open: its weekly hours (replaced as a whole week), dated exceptions
 * (closed days, other hours) and, for a mobile unit, its stops. Public reads; host admins write.
 */
final class HoursRoutes {
  private final Pool pool;
  private final StaffAuth auth;
  private final PointAccess access;
  private final HoursRepository hours = new HoursRepository();

  HoursRoutes(Pool pool, StaffAuth auth, PointAccess access) {
    this.pool = pool;
    this.auth = auth;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/service-points/:id/opening-hours").handler(this::week);
    auth.protect(api.put("/service-points/:id/opening-hours")).handler(this::replaceWeek);
    api.get("/service-points/:id/opening-exceptions").handler(this::exceptions);
    auth.protect(api.put("/service-points/:id/opening-exceptions/:date")).handler(this::putException);
    auth.protect(api.delete("/service-points/:id/opening-exceptions/:date")).handler(this::deleteException);
    api.get("/service-points/:id/stops").handler(this::stops);
    auth.protect(api.post("/service-points/:id/stops")).handler(this::createStop);
    auth.protect(api.put("/service-points/:id/stops/:stopId")).handler(this::updateStop);
    auth.protect(api.delete("/service-points/:id/stops/:stopId")).handler(this::deleteStop);
  }

  private void week(RoutingContext ctx) {
    access.find(pool, ctx)
        .compose(point -> hours.week(pool, point.id()))
        .map(week -> weekJson(week))
        .onComplete(Responses.ok(ctx));
  }

  private void replaceWeek(RoutingContext ctx) {
    List<WeeklyHours> week = weekInput(Requests.body(ctx));
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> hours.replaceWeek(tx, point.id(), week).compose(v -> hours.week(tx, point.id()))))
        .map(saved -> weekJson(saved))
        .onComplete(Responses.ok(ctx));
  }

  private static JsonObject weekJson(List<WeeklyHours> week) {
    return new JsonObject().put("weeklyHours", new JsonArray(week.stream().map(WeeklyHours::toJson).toList()));
  }

  /** Reads {@code weeklyHours}: each item valid, opens before closes, no two overlapping on a weekday. */
  static List<WeeklyHours> weekInput(Input in) {
    Object value = in.json().getValue("weeklyHours");
    if (!(value instanceof JsonArray array) || array.size() > 70) {
      in.error("weeklyHours", "must be an array of at most 70 intervals").done();
      return List.of();
    }
    var week = new ArrayList<WeeklyHours>();
    for (int i = 0; i < array.size(); i++) {
      String name = "weeklyHours[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject item)) {
        in.error(name, "must be an object with weekday, opens and closes");
        continue;
      }
      Input one = Input.of(item);
      Integer weekday = one.integer("weekday", 1, 7, null);
      LocalTime opens = one.time("opens");
      LocalTime closes = one.time("closes");
      one.check(opens == null || closes == null || opens.isBefore(closes), "closes", "must be after opens");
      one.errors().forEach(e -> in.error(name + "." + e.field(), e.message()));
      if (one.valid()) {
        week.add(new WeeklyHours(weekday, opens, closes));
      }
    }
    for (int i = 0; i < week.size(); i++) {
      for (int j = i + 1; j < week.size(); j++) {
        WeeklyHours a = week.get(i);
        WeeklyHours b = week.get(j);
        if (a.weekday() == b.weekday() && a.opens().isBefore(b.closes()) && b.opens().isBefore(a.closes())) {
          in.error("weeklyHours[" + j + "]", "overlaps another interval on the same weekday");
        }
      }
    }
    in.done();
    return week;
  }

  private void exceptions(RoutingContext ctx) {
    access.find(pool, ctx)
        .compose(point -> {
          var range = access.range(ctx, point);
          return hours.exceptions(pool, point.id(), range.from(), range.to());
        })
        .onComplete(Responses.list(ctx, OpeningException::toJson));
  }

  private void putException(RoutingContext ctx) {
    LocalDate date = pathDate(ctx);
    Input in = Requests.body(ctx);
    Boolean closed = in.bool("closed", null);
    LocalTime opens = in.has("opens") ? in.time("opens") : null;
    LocalTime closes = in.has("closes") ? in.time("closes") : null;
    String reason = in.optionalText("reason", 200);
    if (Boolean.TRUE.equals(closed)) {
      in.check(!in.has("opens"), "opens", "must be left out when closed");
      in.check(!in.has("closes"), "closes", "must be left out when closed");
    } else if (Boolean.FALSE.equals(closed)) {
      in.check(in.has("opens"), "opens", "is required when not closed");
      in.check(in.has("closes"), "closes", "is required when not closed");
      in.check(opens == null || closes == null || opens.isBefore(closes), "closes", "must be after opens");
    }
    in.done();
    var exception = new OpeningException(null, date, closed, opens, closes, reason);
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx).compose(point -> hours.putException(tx, point.id(), exception)))
        .map(saved -> saved.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void deleteException(RoutingContext ctx) {
    LocalDate date = pathDate(ctx);
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx).compose(point -> hours.deleteException(tx, point.id(), date)))
        .onComplete(Responses.noContent(ctx));
  }

  private static LocalDate pathDate(RoutingContext ctx) {
    try {
      return LocalDate.parse(ctx.pathParam("date"));
    } catch (RuntimeException e) {
      throw Problem.notFound("An exception on that date");
    }
  }

  private void stops(RoutingContext ctx) {
    access.find(pool, ctx)
        .compose(point -> {
          var range = access.range(ctx, point);
          return hours.stops(pool, point.id(), range.from(), range.to());
        })
        .onComplete(Responses.list(ctx, MobileStop::toJson));
  }

  private void createStop(RoutingContext ctx) {
    HoursRepository.StopFields fields = stopInput(Requests.body(ctx));
    pool.withTransaction(tx -> mobileUnit(tx, ctx).compose(point -> hours.insertStop(tx, point.id(), fields)))
        .recover(SqlStates.exclusionViolation(HoursRoutes::overlappingStop))
        .map(stop -> stop.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void updateStop(RoutingContext ctx) {
    UUID stopId = Requests.pathId(ctx, "stopId", "The stop");
    HoursRepository.StopFields fields = stopInput(Requests.body(ctx));
    pool.withTransaction(tx -> mobileUnit(tx, ctx).compose(point -> hours.updateStop(tx, point.id(), stopId, fields)))
        .recover(SqlStates.exclusionViolation(HoursRoutes::overlappingStop))
        .map(stop -> stop.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void deleteStop(RoutingContext ctx) {
    UUID stopId = Requests.pathId(ctx, "stopId", "The stop");
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx).compose(point -> hours.deleteStop(tx, point.id(), stopId)))
        .onComplete(Responses.noContent(ctx));
  }

  private Future<ServicePoint> mobileUnit(io.vertx.sqlclient.SqlClient tx, RoutingContext ctx) {
    return access.forHostAdmin(tx, ctx).compose(point -> point.mobile()
        ? Future.succeededFuture(point)
        : Future.failedFuture(Problem.conflict("This service point is not a mobile unit; only mobile units have stops.")));
  }

  private static Problem overlappingStop() {
    return Problem.conflict("The unit already has a stop at that time on that date.");
  }

  private static HoursRepository.StopFields stopInput(Input in) {
    LocalDate date = in.date("date");
    LocalTime opens = in.time("opens");
    LocalTime closes = in.time("closes");
    in.check(opens == null || closes == null || opens.isBefore(closes), "closes", "must be after opens");
    String place = in.text("place", 200);
    String street = in.optionalText("street", 200);
    String city = in.optionalText("city", 100);
    in.done();
    return new HoursRepository.StopFields(date, opens, closes, place, street, city);
  }
}
