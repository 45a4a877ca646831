package se.servicepunkt.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.Requests;

/**
 * The signed-in member of staff behind a request, read from a verified token: who, of which
 * organisation (none for a system administrator), with which roles.
 */
public record Caller(UUID staffId, UUID organisationId, Set<String> roles) {
  public static final String STAFF = "staff";
  public static final String ADMIN = "admin";
  /** Reads the statistics of the organisation's services. */
  public static final String MANAGER = "manager";
  /** May act on every organisation's tickets at a shared point (e.g. transfer to the right desk). */
  public static final String RECEPTION = "reception";
  public static final String SYSADMIN = "sysadmin";
  private static final String KEY = "caller";

  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw Problem.unauthorized("A valid bearer token is required.");
    }
    return caller;
  }

  /**
   * Runs after the JWT handler (which checks signature and expiry): checks the issuer and turns
   * the principal into a caller, or answers 401.
   */
  static void attach(RoutingContext ctx) {
    Caller caller = from(ctx.user());
    if (caller == null) {
      ctx.fail(Problem.unauthorized("The token was not issued by this server for a member of staff."));
      return;
    }
    ctx.put(KEY, caller);
    ctx.next();
  }

  /** The caller behind a verified user, or null when the token is not a staff token of this server. */
  static Caller from(User user) {
    JsonObject principal = user == null ? null : user.principal();
    UUID staffId = principal == null ? null : Input.parseUuid(principal.getString("sub"));
    JsonArray roles = principal == null ? null : principal.getJsonArray("roles");
    if (staffId == null || roles == null || !Tokens.ISSUER.equals(principal.getString("iss"))) {
      return null;
    }
    var set = new HashSet<String>();
    roles.forEach(r -> set.add(String.valueOf(r)));
    return new Caller(staffId, Input.parseUuid(principal.getString("org")), Set.copyOf(set));
  }

  /** The caller if the request carried a valid staff token, else null. */
  public static Caller optional(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /**
   * The resident's or visitor's token from {@code header} or {@code ?token=}; without it, and
   * without a staff token, the answer is 401 naming {@code what} the token is.
   */
  public static String tokenOrStaff(RoutingContext ctx, String header, String what) {
    String token = Requests.token(ctx, header);
    if (token == null && optional(ctx) == null) {
      throw Problem.unauthorized(what + " (" + header + " or ?token=) or a staff token is required.");
    }
    return token;
  }

  static void put(RoutingContext ctx, Caller caller) {
    ctx.put(KEY, caller);
  }

  public boolean isSysadmin() {
    return roles.contains(SYSADMIN);
  }

  /** Administers {@code organisation}: its own admin, or a system administrator. */
  public boolean administers(UUID organisation) {
    return isSysadmin() || roles.contains(ADMIN) && organisation != null && organisation.equals(organisationId);
  }

  /** Belongs to {@code organisation} in any role, or is a system administrator. */
  public boolean belongsTo(UUID organisation) {
    return isSysadmin() || organisation != null && organisation.equals(organisationId);
  }

  public void requireAdminOf(UUID organisation) {
    if (!administers(organisation)) {
      throw Problem.forbidden("Only an administrator of that organisation may do this.");
    }
  }

  /**
   * For {@code future.map(...)}: passes a thing through when the caller administers the
   * organisation it belongs to, else fails with 403.
   */
  public <T> Function<T, T> ifAdminOf(Function<T, UUID> organisationOf) {
    return thing -> {
      requireAdminOf(organisationOf.apply(thing));
      return thing;
    };
  }

  public void requireSysadmin() {
    if (!isSysadmin()) {
      throw Problem.forbidden("Only a system administrator may do this.");
    }
  }

  /** The organisation an admin acts for: their own, or for a system administrator the one named. */
  public UUID actingOrganisation(UUID named) {
    if (isSysadmin()) {
      if (named == null) {
        throw Problem.invalid("organisationId", "is required for a system administrator");
      }
      return named;
    }
    if (!roles.contains(ADMIN)) {
      throw Problem.forbidden("Only an administrator may do this.");
    }
    if (named != null && !named.equals(organisationId)) {
      throw Problem.forbidden("Only an administrator of that organisation may do this.");
    }
    return organisationId;
  }
}
