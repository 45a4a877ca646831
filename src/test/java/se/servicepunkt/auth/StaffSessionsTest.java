package se.servicepunkt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Staff access ends at once: signing out, a new password, deactivation and a removed role each
 * end every token already issued, at the next request, on every instance; the system
 * administrator can change the configured password.
 */
class StaffSessionsTest {
  static TestServer server;
  static TestServer other;
  static Fixtures fx;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of());
    other = server.another(Map.of());
    fx = new Fixtures(server);
    org = fx.organisation("Region Gotland");
  }

  @AfterAll
  static void stop() {
    other.close();
    server.close();
  }

  private static String signedIn(String email) {
    return server.signIn(email, TestServer.PASSWORD);
  }

  @Test
  void signingOutEndsEverySignInOfThatPersonOnEveryInstance() {
    String email = fx.account(org, "anna@gotland.example", "staff");
    String phone = signedIn(email);
    String desk = signedIn(email);
    assertEquals(200, other.get("/api/v1/auth/me", phone).statusCode());
    assertEquals(204, server.post("/api/v1/auth/logout", desk, null).statusCode());
    assertProblem(server.get("/api/v1/auth/me", desk), 401);
    assertProblem(other.get("/api/v1/auth/me", phone), 401);
    assertProblem(other.post("/api/v1/bookings", phone, new JsonObject()), 401);
    assertEquals(200, server.get("/api/v1/auth/me", signedIn(email)).statusCode(), "a new sign-in works");
  }

  @Test
  void deactivationAndARemovedRoleEndAccessAtTheNextRequest() {
    String adminEmail = fx.account(org, "chef@gotland.example", "staff", "admin");
    String admin = signedIn(adminEmail);
    String staffEmail = fx.account(org, "bo@gotland.example", "staff");
    String staff = signedIn(staffEmail);
    assertEquals(200, other.get("/api/v1/auth/me", admin).statusCode());

    server.sql("UPDATE staff SET roles = ARRAY['staff'] WHERE email = $1", adminEmail); // by hand, outside any instance
    assertProblem(other.get("/api/v1/auth/me", admin), 401);
    assertEquals(200, other.get("/api/v1/auth/me", staff).statusCode(), "others are not affected");

    server.sql("UPDATE staff SET active = false WHERE email = $1", staffEmail);
    assertProblem(server.get("/api/v1/auth/me", staff), 401);
    assertProblem(other.get("/api/v1/auth/me", staff), 401);
  }

  @Test
  void aNewPasswordNeedsTheCurrentOneAndEndsTheOldSignIns() {
    String email = fx.account(org, "cia@gotland.example", "staff");
    String token = signedIn(email);
    String elsewhere = signedIn(email);
    var body = new JsonObject().put("currentPassword", "not-it").put("newPassword", "a-much-longer-password");
    assertInvalidFields(server.post("/api/v1/auth/password", token, body), "currentPassword");
    assertInvalidFields(server.post("/api/v1/auth/password", token,
        body.copy().put("currentPassword", TestServer.PASSWORD).put("newPassword", "short")), "newPassword");
    assertEquals(200, server.get("/api/v1/auth/me", token).statusCode(), "nothing changed by a refused change");

    assertEquals(204, server.post("/api/v1/auth/password", token,
        body.copy().put("currentPassword", TestServer.PASSWORD)).statusCode());
    assertProblem(server.get("/api/v1/auth/me", token), 401);
    assertProblem(other.get("/api/v1/auth/me", elsewhere), 401);
    assertProblem(server.post("/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", TestServer.PASSWORD)), 401);
    String fresh = server.signIn(email, "a-much-longer-password");
    assertEquals(200, server.get("/api/v1/auth/me", fresh).statusCode());
  }

  @Test
  void aTokenThatStandsIsExchangedForAFreshOneAndOneThatEndedIsNot() {
    String email = fx.account(org, "dan@gotland.example", "staff");
    String token = signedIn(email);
    var fresh = server.post("/api/v1/auth/refresh", token, null);
    assertEquals(200, fresh.statusCode());
    String next = fresh.bodyAsJsonObject().getString("accessToken");
    assertEquals(200, other.get("/api/v1/auth/me", next).statusCode());
    assertEquals(204, server.post("/api/v1/auth/logout", next, null).statusCode());
    assertProblem(server.post("/api/v1/auth/refresh", token, null), 401);
  }

  @Test
  void theSystemAdministratorCanChangeTheConfiguredPassword() {
    String token = server.sysadminToken();
    assertEquals(204, server.post("/api/v1/auth/password", token, new JsonObject()
        .put("currentPassword", TestServer.PASSWORD).put("newPassword", "the-sysadmins-own-password")).statusCode());
    assertProblem(server.get("/api/v1/auth/me", token), 401);
    String again = server.signIn(TestServer.SYSADMIN_EMAIL, "the-sysadmins-own-password");
    assertEquals(204, server.post("/api/v1/auth/password", again, new JsonObject()
        .put("currentPassword", "the-sysadmins-own-password").put("newPassword", TestServer.PASSWORD)).statusCode(),
        "and back, for the other tests");
  }
}
