package se.servicepunkt.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.handler.JWTAuthHandler;
import se.servicepunkt.core.Problem;

/**
 * Guards a route: a valid staff bearer token is required, and its caller is put on the context.
 * Valid means signed by this server, not expired, and still standing: its member of staff is
 * active with the same roles and has not signed out or changed password since ({@link StaffAccess}).
 */
public final class StaffAuth {
  private static final String ENDED = "This sign-in has ended (signed out, password or roles changed, or the "
      + "account deactivated); sign in again.";
  /** Where a request's token's session version is kept, for {@link #endWhenRevoked}. */
  private static final String SESSION_VERSION_KEY = "staffSessionVersion";
  private final JWTAuthHandler jwt;
  private final Tokens tokens;
  private final StaffAccess access;
  private final StreamRevocation revocation;

  public StaffAuth(Tokens tokens, Pool pool) {
    this.jwt = JWTAuthHandler.create(tokens.jwt());
    this.tokens = tokens;
    this.access = new StaffAccess(pool);
    this.revocation = new StreamRevocation(access);
  }

  /**
   * For an event stream opened with a staff token: ends it, with a last event {@code access-ended},
   * within seconds of that sign-in ending ({@link StreamRevocation}). Streams opened without a
   * staff token (a visitor's, a screen's) are left alone.
   */
  public void endWhenRevoked(RoutingContext ctx, se.servicepunkt.web.SseStream sse) {
    Caller caller = Caller.optional(ctx);
    Integer version = ctx.get(SESSION_VERSION_KEY);
    if (caller != null && version != null) {
      revocation.watch(ctx.vertx(), sse, caller, version);
    }
  }

  /** How many staff streams this instance watches for revocation (tests). */
  int watchedStreams() {
    return revocation.watching();
  }

  StaffAccess access() {
    return access;
  }

  /**
   * For routes that residents (with another credential) and staff both use: a bearer token, when
   * there is one, must be valid and names the caller; without one the route decides.
   */
  public Route allowStaff(Route route) {
    return route.handler(ctx -> {
      String token = bearer(ctx);
      if (token == null) {
        ctx.next();
      } else {
        authenticate(ctx, token);
      }
    });
  }

  /**
   * For event streams: browsers' {@code EventSource} cannot send an Authorization header, so the
   * bearer token may also come as the query parameter {@code access_token}.
   */
  public Route protectStream(Route route) {
    return route.handler(ctx -> {
      String header = bearer(ctx);
      String token = header != null ? header : ctx.queryParams().get("access_token");
      if (token == null || token.isBlank()) {
        ctx.fail(Problem.unauthorized("A valid bearer token is required (header, or ?access_token= for EventSource)."));
      } else {
        authenticate(ctx, token);
      }
    });
  }

  /** Whether the request carries a valid staff bearer token (checked; a forged one is not staff). */
  public Future<Boolean> isStaff(RoutingContext ctx) {
    String token = bearer(ctx);
    if (token == null) {
      return Future.succeededFuture(false);
    }
    return tokens.jwt().authenticate(new TokenCredentials(token))
        .compose(user -> {
          Caller caller = Caller.from(user);
          return caller == null ? Future.succeededFuture(false) : access.stands(caller, sessionVersion(user));
        })
        .otherwise(false);
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /** Checks the token; a valid staff token puts its caller on the context and goes on, anything else is 401. */
  private void authenticate(RoutingContext ctx, String token) {
    tokens.jwt().authenticate(new TokenCredentials(token)).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(Problem.unauthorized("A valid bearer token is required."));
        return;
      }
      Caller caller = Caller.from(result.result());
      if (caller == null) {
        ctx.fail(Problem.unauthorized("The token was not issued by this server for a member of staff."));
        return;
      }
      int version = sessionVersion(result.result());
      access.stands(caller, version).onComplete(stands -> {
        if (stands.failed()) {
          ctx.fail(stands.cause());
        } else if (!stands.result()) {
          ctx.fail(Problem.unauthorized(ENDED));
        } else {
          Caller.put(ctx, caller);
          ctx.put(SESSION_VERSION_KEY, version);
          ctx.next();
        }
      });
    });
  }

  /** Adds the token check to {@code route} and returns it for the route's own handler. */
  public Route protect(Route route) {
    return route.handler(jwt).handler(Caller::attach).handler(this::standing);
  }

  /** After {@link Caller#attach}: the token must still stand. */
  private void standing(RoutingContext ctx) {
    int version = sessionVersion(ctx.user());
    access.stands(Caller.of(ctx), version).onComplete(stands -> {
      if (stands.failed()) {
        ctx.fail(stands.cause());
      } else if (!stands.result()) {
        ctx.fail(Problem.unauthorized(ENDED));
      } else {
        ctx.put(SESSION_VERSION_KEY, version);
        ctx.next();
      }
    });
  }

  /** The session version a token was issued at; tokens from before versions count as version 0. */
  static int sessionVersion(io.vertx.ext.auth.User user) {
    Integer version = user.principal().getInteger(Tokens.SESSION_VERSION);
    return version == null ? 0 : version;
  }
}
