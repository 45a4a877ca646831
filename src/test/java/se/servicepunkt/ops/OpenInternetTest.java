package se.servicepunkt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Where the API meets other sites and the world: bodies only as JSON (so a page elsewhere cannot
 * make a visitor's browser post a form or text/plain to it), CORS only for configured origins and
 * never "*", answers not stored by caches, and metrics only to a scraper with the token.
 */
class OpenInternetTest {
  private static WebClient plain(TestServer server) {
    return WebClient.create(server.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.port()));
  }

  private static HttpResponse<Buffer> preflight(WebClient client, String origin) {
    return client.request(HttpMethod.OPTIONS, "/api/v1/bookings").putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "content-type").send().await();
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWith415AndChangesNothing() {
    try (var server = TestServer.start()) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      String admin = fx.token(org, "admin", "staff");
      String json = new JsonObject().put("name", "Hemse servicepunkt").put("kind", "office").encode();
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
        var refused = server.client().post("/api/v1/service-points").putHeader("Authorization", "Bearer " + admin)
            .putHeader("Content-Type", type).sendBuffer(Buffer.buffer(json)).await();
        assertProblem(refused, 415);
      }
      var noType = server.client().post("/api/v1/service-points").putHeader("Authorization", "Bearer " + admin)
          .sendBuffer(Buffer.buffer(json)).await();
      assertProblem(noType, 415);
      assertEquals(0L, server.sql("SELECT count(*) FROM service_point").iterator().next().getLong(0), "nothing made");
      var charset = server.client().post("/api/v1/auth/login").putHeader("Content-Type", "application/json; charset=utf-8")
          .sendBuffer(Buffer.buffer(new JsonObject().put("email", "nobody@example.com").put("password", "x").encode()))
          .await();
      assertEquals(401, charset.statusCode(), "JSON with a charset is JSON");
    }
  }

  @Test
  void withoutConfiguredOriginsNoOtherSiteMayCallTheApiFromItsPages() {
    try (var server = TestServer.start()) {
      var response = preflight(plain(server), "https://evil.example");
      assertNull(response.getHeader("Access-Control-Allow-Origin"));
      var read = plain(server).get("/api/v1/service-points").putHeader("Origin", "https://evil.example").send().await();
      assertNull(read.getHeader("Access-Control-Allow-Origin"), "a cross-site read is not shared with the page");
    }
  }

  @Test
  void aConfiguredOriginIsAllowedByNameNeverAsAStarAndWithoutCredentials() {
    try (var server = TestServer.start(Map.of("corsOrigins", "https://boka.gotland.se"))) {
      var allowed = preflight(plain(server), "https://boka.gotland.se");
      assertEquals("https://boka.gotland.se", allowed.getHeader("Access-Control-Allow-Origin"));
      assertNull(allowed.getHeader("Access-Control-Allow-Credentials"));
      var other = preflight(plain(server), "https://evil.example");
      assertNull(other.getHeader("Access-Control-Allow-Origin"));
    }
  }

  @Test
  void apiAnswersAreNotStoredAndCarryTheSecurityHeaders() {
    try (var server = TestServer.start()) {
      var answer = server.get("/api/v1/service-points");
      assertEquals("no-store", answer.getHeader("Cache-Control"));
      assertEquals("nosniff", answer.getHeader("X-Content-Type-Options"));
      assertEquals("no-referrer", answer.getHeader("Referrer-Policy"));
    }
  }

  @Test
  void metricsOnlyToTheScraperWithTheTokenAndNotAtAllWithoutOne() {
    try (var server = TestServer.start()) {
      assertEquals(401, plain(server).get("/metrics").send().await().statusCode());
      assertEquals(401, plain(server).get("/metrics").putHeader("Authorization", "Bearer wrong-token-of-some-length")
          .send().await().statusCode());
      assertEquals(200, server.get("/metrics", TestServer.METRICS_TOKEN).statusCode());
    }
    try (var server = TestServer.start(Map.of("metricsToken", ""))) {
      assertEquals(404, plain(server).get("/metrics").send().await().statusCode());
    }
  }
}
