package se.servicepunkt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

class LoginTest {
  static TestServer server;
  static Fixtures fx;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("loginMaxFailures", 3, "loginLockMinutes", 5));
    fx = new Fixtures(server);
    org = fx.organisation("Region Gotland");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password);
  }

  @Test
  void theRightPasswordGivesAShortLivedTokenWithRolesAndOrganisation() {
    String email = fx.account(org, "handlaggare@gotland.example", "staff", "admin");
    var response = server.post("/api/v1/auth/login", null, credentials("Handlaggare@Gotland.example", TestServer.PASSWORD));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    var session = response.bodyAsJsonObject();
    assertEquals("Bearer", session.getString("tokenType"));
    assertEquals(server.config().jwtTtlMinutes() * 60, session.getInteger("expiresIn"));
    assertEquals(org, session.getString("organisationId"));
    assertEquals(new JsonArray().add("admin").add("staff"), session.getJsonArray("roles"));
    var me = server.get("/api/v1/auth/me", session.getString("accessToken")).bodyAsJsonObject();
    assertEquals(email, me.getString("email"));
    assertEquals("Region Gotland", me.getString("organisationName"));
  }

  @Test
  void wrongPasswordsAndUnknownAddressesGetTheSameAnswer() {
    fx.account(org, "kund@gotland.example", "staff");
    var wrong = assertProblem(server.post("/api/v1/auth/login", null, credentials("kund@gotland.example", "nope")), 401);
    var unknown = assertProblem(server.post("/api/v1/auth/login", null, credentials("nobody@gotland.example", "nope")), 401);
    assertEquals(wrong.getString("detail"), unknown.getString("detail"));
    assertInvalidFields(server.post("/api/v1/auth/login", null, new JsonObject()), "email", "password");
    assertProblem(server.post("/api/v1/auth/login", null, "nonsense"), 400);
  }

  @Test
  void inactiveStaffCannotSignIn() {
    fx.account(org, "former@gotland.example", "staff");
    server.sql("UPDATE staff SET active = false WHERE email = 'former@gotland.example'");
    assertProblem(server.post("/api/v1/auth/login", null, credentials("former@gotland.example", TestServer.PASSWORD)), 401);
  }

  @Test
  void expiredTamperedForeignAndIncompleteTokensAreRejected() {
    String token = server.signIn(fx.account(org, "tokens@gotland.example", "staff"), TestServer.PASSWORD);
    assertEquals(200, server.get("/api/v1/auth/me", token).statusCode());

    JWTAuth sameKey = jwt(TestServer.JWT_SECRET);
    var claims = new JsonObject().put("roles", new JsonArray().add("staff")).put("org", org);
    String expired = sameKey.generateToken(claims.copy().put("exp", System.currentTimeMillis() / 1000 - 600),
        new JWTOptions().setIssuer(Tokens.ISSUER).setSubject(me(token)));
    assertProblem(server.get("/api/v1/auth/me", expired), 401);

    String[] parts = token.split("\\.");
    String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
        .replace("\"staff\"", "\"admin\"");
    String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
        + "." + parts[2];
    assertProblem(server.get("/api/v1/auth/me", tampered), 401);
    String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
        + (parts[2].endsWith("AA") ? "BB" : "AA");
    assertProblem(server.get("/api/v1/auth/me", badSignature), 401);

    String foreign = jwt("another-secret-that-is-also-32-bytes-long!").generateToken(claims.copy(),
        new JWTOptions().setIssuer(Tokens.ISSUER).setSubject(me(token)).setExpiresInMinutes(5));
    assertProblem(server.get("/api/v1/auth/me", foreign), 401);
    String noSubject = sameKey.generateToken(claims.copy(), new JWTOptions().setIssuer(Tokens.ISSUER).setExpiresInMinutes(5));
    assertProblem(server.get("/api/v1/auth/me", noSubject), 401);
    String otherIssuer = sameKey.generateToken(claims.copy(),
        new JWTOptions().setIssuer("someone-else").setSubject(me(token)).setExpiresInMinutes(5));
    assertProblem(server.get("/api/v1/auth/me", otherIssuer), 401);
    assertProblem(server.get("/api/v1/auth/me", null), 401);
  }

  private static String me(String token) {
    return server.get("/api/v1/auth/me", token).bodyAsJsonObject().getString("id");
  }

  private static JWTAuth jwt(String secret) {
    return JWTAuth.create(server.app().vertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }
}
