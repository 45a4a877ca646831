package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.Passwords;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.web.Responses;

/**
 * Staff accounts and their skills. Personal data: only the organisation's own admins (and
 * system administrators) read or change them; a member of staff may read their own record.
 */
final class StaffRoutes {
  private final Pool pool;
  private final StaffAuth auth;
  private final Passwords passwords;
  private final StaffRepository staff = new StaffRepository();

  StaffRoutes(Pool pool, StaffAuth auth, Passwords passwords) {
    this.pool = pool;
    this.auth = auth;
    this.passwords = passwords;
  }

  void mount(Router api) {
    auth.protect(api.get("/staff")).handler(this::list);
    auth.protect(api.post("/staff")).handler(this::create);
    auth.protect(api.get("/staff/:id")).handler(this::get);
    auth.protect(api.put("/staff/:id")).handler(this::update);
    auth.protect(api.delete("/staff/:id")).handler(this::delete);
    auth.protect(api.put("/staff/:id/skills")).handler(this::replaceSkills);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.query(ctx);
    UUID named = in.optionalId("organisation");
    in.done();
    UUID organisation = caller.isSysadmin() ? named : caller.actingOrganisation(named);
    staff.list(pool, organisation)
        .onComplete(Responses.list(ctx, Staff::toJson));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    staff.find(pool, id(ctx))
        .compose(found -> caller.staffId().equals(found.id()) || caller.administers(found.organisationId())
            ? Future.succeededFuture(found)
            : Future.failedFuture(Problem.forbidden("Only an administrator of their organisation may see this.")))
        .map(found -> found.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    UUID named = in.optionalId("organisationId");
    String password = in.newPassword("password", true);
    var fields = fields(in);
    UUID organisation = caller.actingOrganisation(named);
    passwords.hash(password)
        .compose(hash -> pool.withTransaction(tx -> new OrganisationRepository().named(tx, organisation)
            .compose(o -> staff.insert(tx, organisation, fields.withHash(hash)))
            .compose(id -> staff.find(tx, id))))
        .recover(SqlStates.uniqueViolation(StaffRoutes::duplicateEmail))
        .map(created -> created.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void update(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.body(ctx);
    String password = in.newPassword("password", false);
    var fields = fields(in);
    Future<String> hash = password == null ? Future.succeededFuture() : passwords.hash(password);
    hash.compose(h -> pool.withTransaction(tx -> administered(tx, ctx)
            .compose(found -> {
              if (caller.staffId().equals(found.id()) && !(fields.active() && fields.roles().contains(Caller.ADMIN))) {
                return Future.failedFuture(Problem.conflict("You cannot remove your own admin role or deactivate yourself."));
              }
              return staff.update(tx, found.id(), fields.withHash(h)).compose(v -> staff.find(tx, found.id()));
            })))
        .recover(SqlStates.uniqueViolation(StaffRoutes::duplicateEmail))
        .map(updated -> updated.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    pool.withTransaction(tx -> administered(tx, ctx).compose(found -> caller.staffId().equals(found.id())
            ? Future.failedFuture(Problem.conflict("You cannot delete your own account."))
            : staff.delete(tx, found.id())))
        .onComplete(Responses.noContent(ctx));
  }

  private void replaceSkills(RoutingContext ctx) {
    Input in = Requests.body(ctx);
    List<UUID> services = in.ids("serviceIds");
    in.done();
    pool.withTransaction(tx -> administered(tx, ctx)
            .compose(found -> staff.allServicesOf(tx, services, found.organisationId())
                .compose(ok -> ok
                    ? staff.replaceSkills(tx, found.id(), services)
                    : Future.failedFuture(Problem.invalid("serviceIds",
                        "must all be services of the member of staff's own organisation")))
                .compose(v -> staff.find(tx, found.id()))))
        .map(updated -> updated.toJson())
        .onComplete(Responses.ok(ctx));
  }

  /** The member of staff the path names, if the caller administers their organisation. */
  private Future<Staff> administered(SqlClient tx, RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return staff.find(tx, id(ctx)).compose(found -> {
      if (found.organisationId() == null) {
        return Future.failedFuture(Problem.conflict(
            "System administrator accounts are managed with SP_ADMIN_EMAIL, not through this API."));
      }
      caller.requireAdminOf(found.organisationId());
      return Future.succeededFuture(found);
    });
  }

  private static Problem duplicateEmail() {
    return Problem.conflict("An account with that e-mail address already exists.");
  }

  private static UUID id(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", StaffRepository.WHAT);
  }

  private static StaffRepository.Fields fields(Input in) {
    String email = in.email("email");
    String displayName = in.text("displayName", 200);
    List<String> roles = in.someOf("roles", Set.of(Caller.STAFF, Caller.ADMIN, Caller.MANAGER, Caller.RECEPTION));
    Boolean active = in.bool("active", true);
    in.done();
    return new StaffRepository.Fields(email, displayName, roles, active, null);
  }
}
