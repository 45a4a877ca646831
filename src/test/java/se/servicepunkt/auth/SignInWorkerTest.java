package se.servicepunkt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertProblem;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Sign-in's bcrypt work on its bounded worker: one password thread and room for one waiting
 * sign-in here, so that a second one waiting is refused at once; and hashes of another cost (the
 * old default 12) still sign in and are stored again at the configured cost (4 in tests).
 */
class SignInWorkerTest {
  static TestServer server;
  static Fixtures fx;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("passwordWorkers", 1, "passwordMaxQueued", 1));
    fx = new Fixtures(server);
    org = fx.organisation("Region Halland");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password);
  }

  @Test
  void moreSignInsWaitingThanTheCapAreRefusedAtOnceWithRetryAfter() throws Exception {
    String email = fx.account(org, "kapacitet@halland.example", "staff");
    Passwords passwords = server.app().passwords();
    try (var busy = new BusyPasswordThread(server)) { // the next sign-in waits for the one thread
      var waiting = server.client().post("/api/v1/auth/login").sendJsonObject(credentials(email, TestServer.PASSWORD));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (passwords.queued() < 1) {
        assertTrue(System.nanoTime() < deadline, "the first sign-in never reached the password worker");
        Thread.sleep(10);
      }

      var refused = server.post("/api/v1/auth/login", null, credentials(email, TestServer.PASSWORD));
      assertProblem(refused, 503);
      long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
      assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);

      busy.release();
      var signedIn = waiting.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(200, signedIn.statusCode(), signedIn.bodyAsString());
      assertEquals(200, server.post("/api/v1/auth/login", null, credentials(email, TestServer.PASSWORD)).statusCode(),
          "room again once the worker is free");
    }
  }

  /**
   * A sign-in that waited for the password worker longer than half the request timeout (its
   * client is about to give up) is refused when its turn comes, instead of spending a hash on it.
   */
  @Test
  void aSignInThatWaitedTooLongForTheWorkerIsRefusedWithoutAHash() throws Exception {
    try (var impatient = TestServer.start(Map.of("passwordWorkers", 1, "passwordMaxQueued", 10,
        "requestTimeoutMs", 1000))) {
      var local = new Fixtures(impatient);
      String email = local.account(local.organisation("Region Kronoberg"), "vanta@kronoberg.example", "staff");
      try (var busy = new BusyPasswordThread(impatient)) {
        var waiting = impatient.client().post("/api/v1/auth/login")
            .sendJsonObject(credentials(email, TestServer.PASSWORD));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (impatient.app().passwords().queued() < 1) {
          assertTrue(System.nanoTime() < deadline, "the sign-in never reached the password worker");
          Thread.sleep(10);
        }
        Thread.sleep(700); // longer than the 500 ms a sign-in may wait here, shorter than the request timeout
        busy.release();
        var refused = waiting.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertProblem(refused, 503);
        assertTrue(refused.getHeader("Retry-After") != null, "with Retry-After");
        assertEquals(200, impatient.post("/api/v1/auth/login", null, credentials(email, TestServer.PASSWORD)).statusCode(),
            "a sign-in that does not wait is checked");
      }
    }
  }

  /** The one password thread of a server taken by the test until {@link #release} (or close). */
  private static final class BusyPasswordThread implements AutoCloseable {
    private final WorkerExecutor same;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<Object> blocker;

    BusyPasswordThread(TestServer server) throws InterruptedException {
      same = server.vertx().createSharedWorkerExecutor(Passwords.WORKER, 1);
      var running = new CountDownLatch(1);
      blocker = same.executeBlocking(() -> {
        running.countDown();
        return release.await(30, TimeUnit.SECONDS);
      }, false);
      assertTrue(running.await(10, TimeUnit.SECONDS), "the password thread is taken");
    }

    void release() {
      release.countDown();
    }

    @Override
    public void close() {
      release.countDown();
      blocker.await();
      same.close().await();
    }
  }

  @Test
  void aWrongPasswordIsStill401AndAnUnknownAddressTheSame() {
    fx.account(org, "fel@halland.example", "staff");
    var wrong = assertProblem(server.post("/api/v1/auth/login", null, credentials("fel@halland.example", "nope")), 401);
    var unknown = assertProblem(server.post("/api/v1/auth/login", null, credentials("ingen@halland.example", "nope")), 401);
    assertEquals(wrong.getString("detail"), unknown.getString("detail"));
  }

  @Test
  void aHashOfTheOldCostSignsInAndIsStoredAgainAtTheConfiguredCost() {
    String email = "gammal-" + UUID.randomUUID() + "@halland.example";
    String old = BCrypt.withDefaults().hashToString(12, TestServer.PASSWORD.toCharArray());
    server.sql("INSERT INTO staff (organisation_id, email, display_name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)",
        UUID.fromString(org), email, "Gammal Hash", old, new String[] {"staff"});

    assertProblem(server.post("/api/v1/auth/login", null, credentials(email, "not-the-password")), 401);
    assertEquals(old, storedHash(email), "a failed sign-in changes nothing");

    var response = server.post("/api/v1/auth/login", null, credentials(email, TestServer.PASSWORD));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String rehashed = storedHash(email);
    assertNotEquals(old, rehashed);
    assertEquals(server.config().passwordCost(), Passwords.costOf(rehashed), rehashed);
    assertTrue(BCrypt.verifyer().verify(TestServer.PASSWORD.toCharArray(), rehashed).verified);

    assertEquals(200, server.post("/api/v1/auth/login", null, credentials(email, TestServer.PASSWORD)).statusCode());
    assertEquals(rehashed, storedHash(email), "a hash of the configured cost is kept");
  }

  private static String storedHash(String email) {
    return server.sql("SELECT password_hash FROM staff WHERE email = $1", email).iterator().next().getString(0);
  }
}
