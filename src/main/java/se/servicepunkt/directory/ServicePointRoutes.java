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
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.web.Responses;

/**
 * Service points: public reads (with the coming weeks' opening days in the point's zone), and
 * writes by the host organisation's admins: the point itself, which other organisations serve
 * there (joint operation), and which services are offered there; and one write by each serving
 * organisation's admins: whether it shares its statistics' service breakdown of the point with
 * the host (the host's lobby figures then break down by its services).
 */
final class ServicePointRoutes {

  private final Pool pool;
  private final StaffAuth auth;
  private final PointAccess access;
  private final String defaultZone;
  private final ServicePointRepository points = new ServicePointRepository();
  private final HoursRepository hours = new HoursRepository();
  private final ServiceRepository services = new ServiceRepository();

  /** @param zone the zone of a new point that names none */
  ServicePointRoutes(Pool pool, StaffAuth auth, PointAccess access, ZoneId zone) {
    this.pool = pool;
    this.auth = auth;
    this.access = access;
    this.defaultZone = zone.getId();
  }

  void mount(Router api) {
    api.get("/service-points").handler(this::list);
    api.get("/service-points/:id").handler(this::get);
    auth.protect(api.post("/service-points")).handler(this::create);
    auth.protect(api.put("/service-points/:id")).handler(this::update);
    auth.protect(api.delete("/service-points/:id")).handler(this::delete);
    api.get("/service-points/:id/organisations").handler(this::organisations);
    auth.protect(api.put("/service-points/:id/organisations/:organisationId")).handler(this::addMember);
    auth.protect(api.delete("/service-points/:id/organisations/:organisationId")).handler(this::removeMember);
    auth.protect(api.put("/service-points/:id/organisations/:organisationId/statistics-sharing"))
        .handler(this::shareStatistics);
    api.get("/service-points/:id/services").handler(this::offered);
    auth.protect(api.put("/service-points/:id/services/:serviceId")).handler(this::offer);
    auth.protect(api.delete("/service-points/:id/services/:serviceId")).handler(this::withdraw);
  }

  private void list(RoutingContext ctx) {
    Input in = Requests.query(ctx);
    UUID organisation = in.optionalId("organisation");
    UUID serving = in.optionalId("serving");
    in.done();
    points.list(pool, organisation, serving)
        .onComplete(Responses.list(ctx, ServicePoint::toJson));
  }

  private void get(RoutingContext ctx) {
    Input in = Requests.query(ctx);
    Integer weeksGiven = in.integer("weeks", 1, 12, 4);
    LocalDate from = in.optionalDate("from");
    in.done();
    int weeks = weeksGiven;
    access.find(pool, ctx)
        .compose(point -> {
          LocalDate today = access.today(point);
          if (from != null && (from.isBefore(today.minusDays(7)) || from.isAfter(today.plusDays(366)))) {
            return Future.failedFuture(Problem.invalid("from", "must be within a week before and a year after today"));
          }
          LocalDate first = from != null ? from : today;
          LocalDate last = first.plusDays(weeks * 7L - 1);
          var organisations = points.organisations(pool, point.id());
          var services = points.offered(pool, point.id());
          var opening = hours.hours(pool, point.id(), first, last);
          return Future.all(organisations, services, opening).map(all -> point.toJson()
              .put("organisations", new JsonArray(organisations.result()))
              .put("services", new JsonArray(services.result().stream().map(Service::toJson).toList()))
              .put("weeklyHours", new JsonArray(opening.result().week().stream().map(WeeklyHours::toJson).toList()))
              .put("openingDays", new JsonArray(new OpeningCalendar(point.timeZone(), point.mobile(),
                  opening.result().week(), opening.result().exceptions(), opening.result().stops())
                  .days(first, weeks * 7).stream().map(OpeningCalendar.Day::toJson).toList())));
        })
        .onComplete(Responses.ok(ctx));
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    UUID named = in.optionalId("organisationId");
    in.check(!caller.isSysadmin() || in.has("organisationId"), "organisationId",
        "is required for a system administrator");
    ServicePointRepository.Fields fields = fields(in);
    UUID organisation = caller.actingOrganisation(named);
    pool.withTransaction(tx -> new OrganisationRepository().named(tx, organisation)
            .compose(o -> points.insert(tx, organisation, fields))
            .compose(id -> points.find(tx, id)))
        .map(point -> point.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void update(RoutingContext ctx) {
    ServicePointRepository.Fields fields = fields(Requests.body(ctx));
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> points.update(tx, point.id(), fields).compose(v -> points.find(tx, point.id()))))
        .map(point -> point.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void delete(RoutingContext ctx) {
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> points.hasShifts(tx, point.id()).compose(shifts -> shifts
                ? Future.failedFuture(Problem.conflict("Staff shifts are still planned here; remove them first."))
                : points.delete(tx, point.id()))))
        .recover(SqlStates.foreignKeyViolation(() -> Problem.conflict(
            "Other records still refer to this service point; it is kept.")))
        .onComplete(Responses.noContent(ctx));
  }

  private ServicePointRepository.Fields fields(Input in) {
    String name = in.text("name", 200);
    String kind = in.oneOf("kind", Set.of(ServicePoint.OFFICE, ServicePoint.MOBILE), null);
    var zone = in.zone("timeZone", defaultZone);
    String street = in.optionalText("street", 200);
    String postalCode = in.optionalText("postalCode", 6);
    in.check(postalCode == null || postalCode.matches("\\d{3} ?\\d{2}"), "postalCode", "must be a Swedish postal code such as 623 31");
    String city = in.optionalText("city", 100);
    String description = in.optionalText("description", 2000);
    in.done();
    return new ServicePointRepository.Fields(name, kind, zone.getId(), street, postalCode, city, description);
  }

  private void organisations(RoutingContext ctx) {
    access.find(pool, ctx)
        .compose(point -> points.organisations(pool, point.id()))
        .map(list -> new JsonArray(list))
        .onComplete(Responses.array(ctx));
  }

  private void addMember(RoutingContext ctx) {
    UUID organisation = Requests.pathId(ctx, "organisationId", "The organisation");
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> new OrganisationRepository().find(tx, organisation)
                .compose(o -> point.organisationId().equals(organisation)
                    ? Future.succeededFuture()
                    : points.addMember(tx, point.id(), organisation))))
        .onComplete(Responses.noContent(ctx));
  }

  private void removeMember(RoutingContext ctx) {
    UUID organisation = Requests.pathId(ctx, "organisationId", "The organisation");
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> {
              if (point.organisationId().equals(organisation)) {
                return Future.failedFuture(Problem.conflict("The host organisation always serves at its service point."));
              }
              return points.offersServicesOf(tx, point.id(), organisation).compose(offers -> offers
                  ? Future.failedFuture(Problem.conflict(
                      "That organisation still offers services here; withdraw them first."))
                  : points.removeMember(tx, point.id(), organisation));
            }))
        .onComplete(Responses.noContent(ctx));
  }

  /**
   * {@code {"shared": true|false}}: whether the serving organisation lets the point's host break the
   * lobby's statistics down by its services. Its own admins decide (or a system administrator); not
   * the host's, whose own figures at its point are never hidden from it.
   */
  private void shareStatistics(RoutingContext ctx) {
    UUID organisation = Requests.pathId(ctx, "organisationId", "The organisation");
    Caller.of(ctx).requireAdminOf(organisation);
    Input in = Requests.body(ctx);
    Boolean shared = in.bool("shared", null);
    in.done();
    pool.withTransaction(tx -> access.find(tx, ctx)
            .compose(point -> new OrganisationRepository().find(tx, organisation).compose(o -> {
              if (point.organisationId().equals(organisation)) {
                return Future.<Void>failedFuture(Problem.conflict("The host reads its own service point's figures; "
                    + "only an organisation serving at another's point shares them."));
              }
              return points.shareStatistics(tx, point.id(), organisation, shared).compose(changed -> changed
                  ? Future.<Void>succeededFuture()
                  : Future.<Void>failedFuture(Problem.conflict(
                      "That organisation does not serve at this service point; its host must add it first.")));
            })))
        .onComplete(Responses.noContent(ctx));
  }

  private void offered(RoutingContext ctx) {
    access.find(pool, ctx)
        .compose(point -> points.offered(pool, point.id()))
        .onComplete(Responses.list(ctx, Service::toJson));
  }

  private void offer(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    UUID serviceId = Requests.pathId(ctx, "serviceId", "The service");
    pool.withTransaction(tx -> access.find(tx, ctx)
            .compose(point -> services.find(tx, serviceId)
                .compose(service -> {
                  caller.requireAdminOf(service.organisationId());
                  return points.servesHere(tx, point.id(), service.organisationId());
                })
                .compose(serves -> serves
                    ? points.offer(tx, point.id(), serviceId)
                    : Future.failedFuture(Problem.conflict(
                        "The service's organisation does not serve at this service point; its host must add it first.")))))
        .onComplete(Responses.noContent(ctx));
  }

  private void withdraw(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    UUID serviceId = Requests.pathId(ctx, "serviceId", "The service");
    pool.withTransaction(tx -> access.find(tx, ctx)
            .compose(point -> services.find(tx, serviceId).compose(service -> {
              if (!caller.administers(service.organisationId()) && !caller.administers(point.organisationId())) {
                return Future.failedFuture(Problem.forbidden(
                    "Only an administrator of the service's organisation or of the host may do this."));
              }
              return points.withdraw(tx, point.id(), serviceId);
            })))
        .onComplete(Responses.noContent(ctx));
  }
}
