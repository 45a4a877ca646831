package se.servicepunkt.auth;

import io.vertx.ext.web.Route;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.handler.JWTAuthHandler;
import se.servicepunkt.web.Problem;

/** Guards a route: a valid staff bearer token is required, and its caller is put on the context. */
public final class StaffAuth {
  private final JWTAuthHandler jwt;
  private final Tokens tokens;

  public StaffAuth(Tokens tokens) {
    this.jwt = JWTAuthHandler.create(tokens.jwt());
    this.tokens = tokens;
  }

  /**
   * For routes that residents (with another credential) and staff both use: a bearer token, when
   * there is one, must be valid and names the caller; without one the route decides.
   */
  public Route allowStaff(Route route) {
    return route.handler(ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        ctx.next();
        return;
      }
      tokens.jwt().authenticate(new TokenCredentials(header.substring(7).trim()))
          .map(Caller::from)
          .onSuccess(caller -> {
            if (caller == null) {
              ctx.fail(Problem.unauthorized("The token was not issued by this server for a member of staff."));
            } else {
              Caller.put(ctx, caller);
              ctx.next();
            }
          })
          .onFailure(e -> ctx.fail(Problem.unauthorized("A valid bearer token is required.")));
    });
  }

  /**
   * For event streams: browsers' {@code EventSource} cannot send an Authorization header, so the
   * bearer token may also come as the query parameter {@code access_token}.
   */
  public Route protectStream(Route route) {
    return route.handler(ctx -> {
      String header = ctx.request().getHeader("Authorization");
      String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          ? header.substring(7).trim()
          : ctx.queryParams().get("access_token");
      if (token == null || token.isBlank()) {
        ctx.fail(Problem.unauthorized("A valid bearer token is required (header, or ?access_token= for EventSource)."));
        return;
      }
      tokens.jwt().authenticate(new TokenCredentials(token))
          .map(Caller::from)
          .onSuccess(caller -> {
            if (caller == null) {
              ctx.fail(Problem.unauthorized("The token was not issued by this server for a member of staff."));
            } else {
              Caller.put(ctx, caller);
              ctx.next();
            }
          })
          .onFailure(e -> ctx.fail(Problem.unauthorized("A valid bearer token is required.")));
    });
  }

  /** Adds the token check to {@code route} and returns it for the route's own handler. */
  public Route protect(Route route) {
    return route.handler(jwt).handler(Caller::attach);
  }
}
