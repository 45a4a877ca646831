package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.web.Responses;

/**
 * Shifts: when a member of staff works at a service point, at its desks or by video. An
 * organisation's admins plan their own staff's shifts at points where the organisation serves;
 * staff see their own.
 */
final class ShiftRoutes {
  private static final Duration LONGEST = Duration.ofHours(16);
  private static final int MAX_BATCH = 500;
  private static final int MAX_RANGE_DAYS = 62;
  /**
   * Without {@code from}, each point's own today is the start; {@code to} alone is bounded against
   * today in the configured zone (points outside it may be a day off, never more).
   */
  private final ZoneId zone;
  private final Clock clock;

  private final Pool pool;
  private final StaffAuth auth;
  private final ShiftRepository shifts = new ShiftRepository();
  private final ServicePointRepository points = new ServicePointRepository();

  ShiftRoutes(Pool pool, StaffAuth auth, Clock clock, ZoneId zone) {
    this.pool = pool;
    this.auth = auth;
    this.clock = clock;
    this.zone = zone;
  }

  void mount(Router api) {
    auth.protect(api.get("/shifts")).handler(this::list);
    auth.protect(api.post("/shifts")).handler(this::create);
    auth.protect(api.post("/shifts/batch")).handler(this::createBatch);
    auth.protect(api.get("/shifts/:id")).handler(this::get);
    auth.protect(api.put("/shifts/:id")).handler(this::update);
    auth.protect(api.delete("/shifts/:id")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.query(ctx);
    UUID point = in.optionalId("servicePoint");
    UUID staff = in.optionalId("staff");
    LocalDate from = in.optionalDate("from");
    LocalDate to = in.optionalDate("to");
    LocalDate first = from != null ? from : LocalDate.now(clock.withZone(zone));
    in.check(to == null || (from == null || !to.isBefore(from)) && !to.isAfter(first.plusDays(MAX_RANGE_DAYS - 1)),
        "to", "must be on or after from, and at most " + MAX_RANGE_DAYS + " days after it (or after today)");
    in.done();
    UUID organisationScope = caller.isSysadmin() || !caller.roles().contains(Caller.ADMIN) ? null : caller.organisationId();
    UUID staffScope = caller.isSysadmin() || caller.roles().contains(Caller.ADMIN) ? null : caller.staffId();
    shifts.list(pool, point, staff, organisationScope, staffScope, from, to)
        .onComplete(Responses.list(ctx, Shift::toJson));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    shifts.find(pool, id(ctx))
        .compose(shift -> caller.staffId().equals(shift.staffId()) || caller.administers(shift.organisationId())
            ? Future.succeededFuture(shift)
            : Future.failedFuture(Problem.forbidden("Only an administrator of that organisation may see this.")))
        .map(shift -> shift.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    var fields = fields(in);
    in.done();
    pool.withTransaction(tx -> place(tx, caller, fields, "").compose(id -> shifts.find(tx, id)))
        .recover(overlap("That member of staff already has a shift overlapping this time."))
        .map(shift -> shift.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void createBatch(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    Object value = in.json().getValue("shifts");
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_BATCH) {
      throw Problem.invalid("shifts", "must be an array of 1 to " + MAX_BATCH + " shifts");
    }
    var all = new ArrayList<ShiftRepository.Fields>();
    for (int i = 0; i < array.size(); i++) {
      String prefix = "shifts[" + i + "].";
      if (array.getValue(i) instanceof JsonObject item) {
        Input one = Input.of(item);
        var fields = fields(one);
        one.errors().forEach(e -> in.error(prefix + e.field(), e.message()));
        all.add(fields);
      } else {
        in.error("shifts[" + i + "]", "must be an object");
      }
    }
    in.done();
    pool.withTransaction(tx -> {
          Future<List<Shift>> chain = Future.succeededFuture(new ArrayList<>());
          for (int i = 0; i < all.size(); i++) {
            var fields = all.get(i);
            String prefix = "shifts[" + i + "].";
            String overlapping = "shifts[" + i + "] overlaps another shift of the same member of staff,"
                + " already planned or earlier in this batch.";
            chain = chain.compose(done -> place(tx, caller, fields, prefix)
                .recover(overlap(overlapping))
                .compose(id -> shifts.find(tx, id))
                .map(shift -> {
                  done.add(shift);
                  return done;
                }));
          }
          return chain;
        })
        .onComplete(Responses.createdAll(ctx, Shift::toJson));
  }

  private void update(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    var fields = fields(in);
    in.done();
    pool.withTransaction(tx -> administered(tx, ctx)
            .compose(existing -> checkPlacement(tx, caller, fields, "")
                .compose(v -> shifts.update(tx, existing.id(), fields))
                .compose(v -> shifts.find(tx, existing.id()))))
        .recover(overlap("That member of staff already has another shift overlapping this time."))
        .map(shift -> shift.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void delete(RoutingContext ctx) {
    pool.withTransaction(tx -> administered(tx, ctx).compose(existing -> shifts.delete(tx, existing.id())))
        .onComplete(Responses.noContent(ctx));
  }

  private Future<Shift> administered(SqlClient tx, RoutingContext ctx) {
    return shifts.find(tx, id(ctx)).map(Caller.of(ctx).ifAdminOf(Shift::organisationId));
  }

  private Future<UUID> place(SqlClient tx, Caller caller, ShiftRepository.Fields fields, String prefix) {
    return checkPlacement(tx, caller, fields, prefix).compose(v -> shifts.insert(tx, fields));
  }

  /**
   * The caller administers the staff member's organisation, and that organisation serves at the
   * service point. Unknown ids in the body are invalid input (422), not missing resources.
   */
  private Future<Void> checkPlacement(SqlClient tx, Caller caller, ShiftRepository.Fields fields, String prefix) {
    return shifts.staffOrganisation(tx, fields.staffId())
        .recover(e -> Future.failedFuture(Problem.invalid(prefix + "staffId", "is not a known member of staff")))
        .compose(organisation -> {
          caller.requireAdminOf(organisation);
          return points.find(tx, fields.servicePointId())
              .recover(e -> Future.failedFuture(Problem.invalid(prefix + "servicePointId", "is not a known service point")))
              .compose(point -> points.servesHere(tx, point.id(), organisation));
        })
        .compose(serves -> serves
            ? Future.succeededFuture()
            : Future.failedFuture(Problem.conflict(
                "The member of staff's organisation does not serve at that service point.")));
  }

  /** For {@code recover}: the exclusion constraint's violation becomes a 409 with this detail. */
  private static <T> Function<Throwable, Future<T>> overlap(String detail) {
    return SqlStates.exclusionViolation(() -> Problem.conflict(detail));
  }

  private static UUID id(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", ShiftRepository.WHAT);
  }

  /** Reads a shift's fields into {@code in}'s errors; the caller calls {@code done()}. */
  private static ShiftRepository.Fields fields(Input in) {
    UUID staff = in.id("staffId");
    UUID point = in.id("servicePointId");
    String channel = in.oneOf("channel", Set.of("desk", "video"), null);
    OffsetDateTime start = in.instant("start");
    OffsetDateTime end = in.instant("end");
    if (start != null && end != null) {
      in.check(end.isAfter(start), "end", "must be after start");
      in.check(Duration.between(start, end).compareTo(LONGEST) <= 0, "end", "a shift lasts at most 16 hours");
    }
    return new ShiftRepository.Fields(staff, point, channel, start, end);
  }
}
