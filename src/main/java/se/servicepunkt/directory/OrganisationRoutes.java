package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.web.Responses;

/**
 * Organisations: anyone may read them (public information); a system administrator creates and
 * deletes them; an organisation's admin may rename it.
 */
final class OrganisationRoutes {
  private final Pool pool;
  private final StaffAuth auth;
  private final OrganisationRepository organisations = new OrganisationRepository();

  OrganisationRoutes(Pool pool, StaffAuth auth) {
    this.pool = pool;
    this.auth = auth;
  }

  void mount(Router api) {
    api.get("/organisations").handler(this::list);
    api.get("/organisations/:id").handler(this::get);
    auth.protect(api.post("/organisations")).handler(this::create);
    auth.protect(api.put("/organisations/:id")).handler(this::update);
    auth.protect(api.delete("/organisations/:id")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    organisations.list(pool)
        .onComplete(Responses.list(ctx, Organisation::toJson));
  }

  private void get(RoutingContext ctx) {
    organisations.find(pool, id(ctx))
        .map(o -> o.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void create(RoutingContext ctx) {
    Caller.of(ctx).requireSysadmin();
    String name = name(ctx);
    organisations.insert(pool, name)
        .map(o -> o.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void update(RoutingContext ctx) {
    UUID id = id(ctx);
    Caller.of(ctx).requireAdminOf(id);
    String name = name(ctx);
    organisations.update(pool, id, name)
        .map(o -> o.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void delete(RoutingContext ctx) {
    Caller.of(ctx).requireSysadmin();
    organisations.delete(pool, id(ctx))
        .onComplete(Responses.noContent(ctx));
  }

  private static UUID id(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", "The organisation");
  }

  private static String name(RoutingContext ctx) {
    Input in = Requests.body(ctx);
    String name = in.text("name", 200);
    in.done();
    return name;
  }
}
