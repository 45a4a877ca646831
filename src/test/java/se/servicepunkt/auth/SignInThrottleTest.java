package se.servicepunkt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Guessing is slowed per account and per client address, and nobody can use that to keep a member
 * of staff out: their own device (the deviceToken of an earlier sign-in) is not held up by the
 * account's wait. Behind nginx the address comes from X-Forwarded-For (127.0.0.1 is a trusted proxy).
 */
class SignInThrottleTest {
  private static HttpResponse<Buffer> signIn(TestServer server, String from, String email, String password,
                                             String device) {
    var body = new JsonObject().put("email", email).put("password", password);
    if (device != null) {
      body.put("deviceToken", device);
    }
    return server.client().post("/api/v1/auth/login").putHeader("X-Forwarded-For", from).sendJsonObject(body).await();
  }

  @Test
  void anAccountsFailuresMakeGuessersWaitLongerAndLongerButNotItsOwnDevice() {
    try (var server = TestServer.start(Map.of("loginMaxFailures", 3, "loginLockMinutes", 5))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      fx.account(org, "anna@gotland.example", "staff");
      var first = signIn(server, "198.51.100.7", "anna@gotland.example", TestServer.PASSWORD, null);
      assertEquals(200, first.statusCode());
      String device = first.bodyAsJsonObject().getString("deviceToken");
      assertNotNull(device, "a new device gets a token of its own");
      assertTrue(server.sql("SELECT count(*) FROM staff_device").iterator().next().getLong(0) >= 1);

      for (int i = 0; i < 3; i++) { // a guesser elsewhere
        assertProblem(signIn(server, "203.0.113.66", "anna@gotland.example", "guess-" + i, null), 401);
        assertProblem(signIn(server, "203.0.113.66", "ghost@gotland.example", "guess-" + i, null), 401);
      }
      var held = signIn(server, "203.0.113.66", "anna@gotland.example", TestServer.PASSWORD, null);
      assertProblem(held, 429);
      assertEquals(1, Long.parseLong(held.getHeader("Retry-After")), "the first wait is a second");
      assertProblem(signIn(server, "203.0.113.66", "ghost@gotland.example", "x", null), 429); // unknown accounts alike

      var own = signIn(server, "198.51.100.7", "anna@gotland.example", TestServer.PASSWORD, device);
      assertEquals(200, own.statusCode(), "her own device is not held up");
      assertNull(own.bodyAsJsonObject().getString("deviceToken"), "a known device keeps its token");
      assertProblem(signIn(server, "198.51.100.7", "anna@gotland.example", "typo", device), 401);
      assertEquals(3, server.sql("SELECT failures FROM login_throttle WHERE email_key = $1",
          LoginService.emailKey("anna@gotland.example")).iterator().next().getInteger(0), "her own typo adds no wait");

      // the waits grow: 1 s after the third failure, 2 s after the fourth, ...
      server.sql("UPDATE login_throttle SET last_failure = now() - interval '1500 milliseconds'");
      assertProblem(signIn(server, "203.0.113.66", "anna@gotland.example", "guess-4", null), 401);
      var longer = signIn(server, "203.0.113.66", "anna@gotland.example", "guess-5", null);
      assertProblem(longer, 429);
      assertEquals(2, Long.parseLong(longer.getHeader("Retry-After")));
      server.sql("UPDATE login_throttle SET last_failure = now() - interval '10 hours'");
      assertEquals(200, signIn(server, "203.0.113.66", "anna@gotland.example", TestServer.PASSWORD, null).statusCode(),
          "old failures no longer count");
    }
  }

  @Test
  void oneAddressThatFailsTooOftenWaitsWhateverAccountItTriesAndOthersDoNot() {
    try (var server = TestServer.start(Map.of("loginFailuresPerAddress", 4, "loginMaxFailures", 100))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      fx.account(org, "bo@gotland.example", "staff");
      for (int i = 0; i < 4; i++) {
        assertProblem(signIn(server, "203.0.113.99", "user" + i + "@gotland.example", "guess", null), 401);
      }
      var refused = signIn(server, "203.0.113.99", "bo@gotland.example", TestServer.PASSWORD, null);
      assertProblem(refused, 429);
      long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
      assertTrue(retryAfter >= 1 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
      assertEquals(200, signIn(server, "198.51.100.8", "bo@gotland.example", TestServer.PASSWORD, null).statusCode(),
          "another address signs in");
    }
  }

  @Test
  void oldFailuresAndDevicesUnusedForHalfAYearArePruned() {
    try (var server = TestServer.start(Map.of("loginLockMinutes", 5))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      fx.account(org, "cia@gotland.example", "staff");
      assertEquals(200, signIn(server, "198.51.100.9", "cia@gotland.example", TestServer.PASSWORD, null).statusCode());
      assertProblem(signIn(server, "198.51.100.9", "nobody@gotland.example", "x", null), 401);
      assertProblem(signIn(server, "198.51.100.9", "noone@gotland.example", "x", null), 401);
      server.sql("UPDATE login_throttle SET last_failure = now() - interval '6 minutes' WHERE email_key = $1",
          LoginService.emailKey("nobody@gotland.example"));
      server.sql("UPDATE staff_device SET last_used = now() - interval '181 days'");
      server.app().logins().prune(server.pool()).await();
      assertEquals(1L, server.sql("SELECT count(*) FROM login_throttle").iterator().next().getLong(0));
      assertEquals(0L, server.sql("SELECT count(*) FROM staff_device").iterator().next().getLong(0));
    }
  }
}
