package se.servicepunkt.auth;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.handler.JWTAuthHandler;

/** Guards a route: a valid staff bearer token is required, and its caller is put on the context. */
public final class StaffAuth {
  private final JWTAuthHandler jwt;

  public StaffAuth(Tokens tokens) {
    this.jwt = JWTAuthHandler.create(tokens.jwt());
  }

  /** Adds the token check to {@code route} and returns it for the route's own handler. */
  public Route protect(Route route) {
    return route.handler(jwt).handler(Caller::attach);
  }
}
