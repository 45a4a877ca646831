package se.servicepunkt.auth;

import se.servicepunkt.web.ClientAddress;
import se.servicepunkt.web.Requests;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Rows;
import io.vertx.core.Future;
import se.servicepunkt.web.Responses;

/** {@code POST /auth/login} and {@code GET /auth/me}. */
public final class AuthRoutes {
  private static final String ME = """
      SELECT s.id, s.email, s.display_name, s.organisation_id, s.roles, o.name AS organisation_name
      FROM staff s LEFT JOIN organisation o ON o.id = s.organisation_id
      WHERE s.id = $1 AND s.active""";

  private final LoginService logins;
  private final StaffAuth auth;
  private final Pool pool;
  private final ClientAddress addresses;

  public AuthRoutes(LoginService logins, StaffAuth auth, Pool pool, ClientAddress addresses) {
    this.logins = logins;
    this.auth = auth;
    this.pool = pool;
    this.addresses = addresses;
  }

  public void mount(Router api) {
    api.post("/auth/login").handler(this::login);
    auth.protect(api.get("/auth/me")).handler(this::me);
  }

  private void login(RoutingContext ctx) {
    Input in = Requests.body(ctx);
    String email = in.text("email", 254);
    String password = in.text("password", 200);
    String deviceToken = in.optionalText("deviceToken", 100);
    in.done();
    logins.login(email.toLowerCase(), password, deviceToken, addresses.of(ctx))
        .map(session -> session.toJson())
        .onComplete(Responses.ok(ctx));
  }

  private void me(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Rows.optional(pool.preparedQuery(ME).mapping(row -> new JsonObject()
            .put("id", row.getUUID("id").toString())
            .put("email", row.getString("email"))
            .put("displayName", row.getString("display_name"))
            .put("organisationId", row.getUUID("organisation_id") == null ? null : row.getUUID("organisation_id").toString())
            .put("organisationName", row.getString("organisation_name"))
            .put("roles", java.util.List.of(row.getArrayOfStrings("roles"))))
            .execute(Tuple.of(caller.staffId())))
        .compose(me -> me != null
            ? Future.succeededFuture(me)
            : Future.failedFuture(Problem.unauthorized("This account is no longer active.")))
        .onComplete(Responses.ok(ctx));
  }
}
