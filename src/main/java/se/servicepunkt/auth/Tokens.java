package se.servicepunkt.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.Set;
import java.util.UUID;

/** Issues and verifies the short-lived staff access tokens (HS256 JWTs). */
public final class Tokens {
  public static final String ISSUER = "servicepunkt";
  private final JWTAuth jwt;
  private final int ttlMinutes;

  public Tokens(Vertx vertx, String secret, int ttlMinutes) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(5)));
    this.ttlMinutes = ttlMinutes;
  }

  public JWTAuth jwt() {
    return jwt;
  }

  public int ttlSeconds() {
    return ttlMinutes * 60;
  }

  /** The claim naming the session version a token was issued at (see {@link StaffAccess}). */
  static final String SESSION_VERSION = "sv";

  public String issue(UUID staffId, UUID organisationId, Set<String> roles, int sessionVersion) {
    var claims = new JsonObject()
        .put("roles", new JsonArray(roles.stream().sorted().toList()))
        .put(SESSION_VERSION, sessionVersion);
    if (organisationId != null) {
      claims.put("org", organisationId.toString());
    }
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm("HS256")
        .setIssuer(ISSUER)
        .setSubject(staffId.toString())
        .setExpiresInSeconds(ttlSeconds()));
  }
}
