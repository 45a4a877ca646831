package se.servicepunkt.auth;

import se.servicepunkt.web.ClientAddress;
import se.servicepunkt.web.Requests;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Rows;
import io.vertx.core.Future;
import se.servicepunkt.web.Responses;

/**
 * {@code POST /auth/login}, {@code GET /auth/me}, {@code POST /auth/logout} (ends the member of
 * staff's sign-ins on every device) and {@code POST /auth/password} (a new password, which ends
 * them too).
 */
public final class AuthRoutes {
  private static final String ME = """
      SELECT s.id, s.email, s.display_name, s.organisation_id, s.roles, o.name AS organisation_name
      FROM staff s LEFT JOIN organisation o ON o.id = s.organisation_id
      WHERE s.id = $1 AND s.active""";
  private static final String SIGN_OUT = """
      UPDATE staff SET session_version = session_version + 1 WHERE id = $1""";
  private static final String PASSWORD_HASH = "SELECT password_hash FROM staff WHERE id = $1 AND active";
  /** Only if the password was not changed meanwhile; V13's trigger ends the sessions. */
  private static final String SET_PASSWORD = """
      UPDATE staff SET password_hash = $3 WHERE id = $1 AND password_hash = $2""";
  static final int MIN_PASSWORD_LENGTH = 12;

  private final LoginService logins;
  private final StaffAuth auth;
  private final Pool pool;
  private final ClientAddress addresses;
  private final Passwords passwords;

  public AuthRoutes(LoginService logins, StaffAuth auth, Pool pool, ClientAddress addresses, Passwords passwords) {
    this.logins = logins;
    this.auth = auth;
    this.pool = pool;
    this.addresses = addresses;
    this.passwords = passwords;
  }

  public void mount(Router api) {
    api.post("/auth/login").handler(this::login);
    auth.protect(api.get("/auth/me")).handler(this::me);
    auth.protect(api.post("/auth/refresh")).handler(this::refresh);
    auth.protect(api.post("/auth/logout")).handler(this::logout);
    auth.protect(api.post("/auth/password")).handler(this::password);
  }

  /** A page that stays open all day exchanges its token for a fresh one before it expires. */
  private void refresh(RoutingContext ctx) {
    Responses.ok(ctx).handle(Future.succeededFuture(
        logins.refreshed(Caller.of(ctx), StaffAuth.sessionVersion(ctx.user())).toJson()));
  }

  private void logout(RoutingContext ctx) {
    pool.preparedQuery(SIGN_OUT).execute(Tuple.of(Caller.of(ctx).staffId()))
        .<Void>map(rows -> {
          auth.access().changed();
          return null;
        })
        .onComplete(Responses.noContent(ctx));
  }

  /** The signed-in member of staff (the system administrator too) sets a new password, giving the current one. */
  private void password(RoutingContext ctx) {
    Input in = Requests.body(ctx);
    String current = in.text("currentPassword", 200);
    String chosen = in.text("newPassword", 200);
    in.check(chosen == null || chosen.length() >= MIN_PASSWORD_LENGTH, "newPassword",
        "must be at least " + MIN_PASSWORD_LENGTH + " characters");
    in.check(chosen == null || !chosen.equals(current), "newPassword", "must differ from the current password");
    in.done();
    UUID staffId = Caller.of(ctx).staffId();
    Rows.optional(pool.preparedQuery(PASSWORD_HASH).mapping(row -> row.getString(0)).execute(Tuple.of(staffId)))
        .compose(stored -> stored == null
            ? Future.failedFuture(Problem.unauthorized("This account is no longer active."))
            : passwords.check(current, stored).compose(check -> check.verified()
                ? passwords.hash(chosen)
                : Future.failedFuture(Problem.invalid("currentPassword", "is not your current password")))
            .compose(hash -> pool.preparedQuery(SET_PASSWORD).execute(Tuple.of(staffId, stored, hash)))
            .compose(rows -> rows.rowCount() == 1
                ? Future.<Void>succeededFuture()
                : Future.failedFuture(Problem.conflict("The password was changed meanwhile; sign in again."))))
        .onSuccess(v -> auth.access().changed())
        .onComplete(Responses.noContent(ctx));
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
