package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.Responses;

/** Services: public reads; an organisation's admins create and change its own services. */
final class ServiceRoutes {
  private final Pool pool;
  private final StaffAuth auth;
  private final ServiceRepository services = new ServiceRepository();

  ServiceRoutes(Pool pool, StaffAuth auth) {
    this.pool = pool;
    this.auth = auth;
  }

  void mount(Router api) {
    api.get("/services").handler(this::list);
    api.get("/services/:id").handler(this::get);
    auth.protect(api.post("/services")).handler(this::create);
    auth.protect(api.put("/services/:id")).handler(this::update);
    auth.protect(api.delete("/services/:id")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    Input in = Requests.query(ctx);
    UUID organisation = in.optionalId("organisation");
    UUID servicePoint = in.optionalId("servicePoint");
    in.done();
    services.list(pool, organisation, servicePoint)
        .onComplete(Responses.list(ctx, Service::toJson));
  }

  private void get(RoutingContext ctx) {
    services.find(pool, id(ctx))
        .map(service -> service.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    UUID named = in.optionalId("organisationId");
    ServiceRepository.Fields fields = fields(in);
    UUID organisation = caller.actingOrganisation(named);
    pool.withTransaction(tx -> new OrganisationRepository().named(tx, organisation)
            .compose(o -> services.insert(tx, organisation, fields))
            .compose(id -> services.find(tx, id)))
        .map(service -> service.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void update(RoutingContext ctx) {
    ServiceRepository.Fields fields = fields(Requests.body(ctx));
    pool.withTransaction(tx -> administered(tx, ctx)
            .compose(service -> services.update(tx, service.id(), fields).compose(v -> services.find(tx, service.id()))))
        .map(service -> service.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void delete(RoutingContext ctx) {
    pool.withTransaction(tx -> administered(tx, ctx).compose(service -> services.delete(tx, service.id())))
        .onComplete(Responses.noContent(ctx));
  }

  private Future<Service> administered(SqlClient tx, RoutingContext ctx) {
    return services.find(tx, id(ctx)).map(Caller.of(ctx).ifAdminOf(Service::organisationId));
  }

  private static UUID id(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", ServiceRepository.WHAT);
  }

  private static ServiceRepository.Fields fields(Input in) {
    String nameSv = in.text("nameSv", 200);
    String nameEn = in.text("nameEn", 200);
    String letter = in.text("ticketLetter", 1);
    in.check(letter == null || letter.matches("[A-Z]"), "ticketLetter", "must be one capital letter A-Z");
    Integer duration = in.integer("durationMinutes", 5, 480, null);
    var channels = in.someOf("channels", Set.of("desk", "video"));
    Integer notice = in.integer("minNoticeMinutes", 0, 43200, 60);
    Integer horizon = in.integer("horizonDays", 1, 366, 60);
    Integer cutoff = in.integer("cancelCutoffMinutes", 0, 43200, 120);
    Integer target = in.integer("waitTargetMinutes", 1, 180, 15);
    in.done();
    return new ServiceRepository.Fields(nameSv, nameEn, letter, duration, channels, notice, horizon, cutoff, target);
  }
}
