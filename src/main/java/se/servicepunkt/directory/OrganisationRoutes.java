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
        .onSuccess(list -> Responses.list(ctx, list, Organisation::toJson))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    organisations.find(pool, id(ctx))
        .onSuccess(o -> Responses.ok(ctx, o.toJson()))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    Caller.of(ctx).requireSysadmin();
    String name = name(ctx);
    organisations.insert(pool, name)
        .onSuccess(o -> Responses.created(ctx, ctx.request().path() + "/" + o.id(), o.toJson()))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    UUID id = id(ctx);
    Caller.of(ctx).requireAdminOf(id);
    String name = name(ctx);
    organisations.update(pool, id, name)
        .onSuccess(o -> Responses.ok(ctx, o.toJson()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Caller.of(ctx).requireSysadmin();
    organisations.delete(pool, id(ctx))
        .onSuccess(v -> Responses.noContent(ctx))
        .onFailure(ctx::fail);
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
