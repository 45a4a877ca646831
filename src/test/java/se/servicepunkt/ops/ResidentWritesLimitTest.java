package se.servicepunkt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Residents' writes are limited per client address: one over the minute's allowance gets 429 with
 * Retry-After and changes nothing; staff with a valid token are not counted, a forged token is;
 * the address comes from X-Forwarded-For only when the peer is a trusted proxy.
 */
class ResidentWritesLimitTest {
  private static JsonObject bookingFor(String point, String service) {
    return new JsonObject().put("servicePointId", point).put("serviceId", service).put("channel", "desk")
        .put("start", "2020-01-01T10:00:00+01:00").put("name", "Test").put("email", "t@example.com")
        .put("language", "sv").put("consent", true);
  }

  @Test
  void theAllowanceOfAnAddressIsKeptAndStaffAreNotCounted() {
    try (var server = TestServer.start(Map.of("residentWritesPerMinute", 3, "trustedProxies", new io.vertx.core.json.JsonArray()))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      String admin = fx.token(org, "admin", "staff");
      String point = fx.servicePoint(admin, "Hemse servicepunkt", "office");
      var body = bookingFor(point, java.util.UUID.randomUUID().toString());
      for (int i = 0; i < 3; i++) {
        int status = server.post("/api/v1/bookings", null, body).statusCode();
        assertTrue(status == 422 || status == 409 || status == 404, "counted, then validated: " + status);
      }
      var refused = server.post("/api/v1/bookings", null, body);
      assertProblem(refused, 429);
      long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
      assertTrue(retryAfter >= 1 && retryAfter <= 60, "seconds until the next token: " + retryAfter);
      assertProblem(server.post("/api/v1/service-points/" + point + "/tickets", null, new JsonObject()), 429);
      assertEquals(429, server.post("/api/v1/bookings", "forged.token.value", body).statusCode(),
          "a token that is not valid does not exempt");
      assertTrue(server.post("/api/v1/bookings", admin, body).statusCode() != 429, "staff are not counted");
      assertEquals(200, server.get("/api/v1/service-points").statusCode(), "reads are not limited");
      // X-Forwarded-For from a peer that is not a trusted proxy names no other client
      assertEquals(429, server.client().post("/api/v1/bookings").putHeader("X-Forwarded-For", "203.0.113.9")
          .sendJsonObject(body).await().statusCode());
    }
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnAllowance() {
    try (var server = TestServer.start(Map.of("residentWritesPerMinute", 1))) {
      var body = bookingFor(java.util.UUID.randomUUID().toString(), java.util.UUID.randomUUID().toString());
      for (String client : new String[] {"203.0.113.1", "203.0.113.2"}) {
        assertTrue(server.client().post("/api/v1/bookings").putHeader("X-Forwarded-For", client)
            .sendJsonObject(body).await().statusCode() != 429, client + "'s first");
        assertEquals(429, server.client().post("/api/v1/bookings").putHeader("X-Forwarded-For", client)
            .sendJsonObject(body).await().statusCode(), client + "'s second");
      }
    }
  }

  @Test
  void findMyBookingFromOneAddressIsLimitedAndTheRefusalIsAPage() {
    try (var server = TestServer.start(Map.of("residentWritesPerMinute", 2))) {
      io.vertx.core.http.HttpMethod post = io.vertx.core.http.HttpMethod.POST;
      var form = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("bokningsnummer", "ABCD-1234").add("epost", "x@example.com");
      for (int i = 0; i < 2; i++) {
        int status = server.client().request(post, "/hitta-bokning").putHeader("Sec-Fetch-Site", "same-origin")
            .sendForm(form).await().statusCode();
        assertTrue(status != 429, "within the allowance: " + status);
      }
      var refused = server.client().request(post, "/hitta-bokning").putHeader("Sec-Fetch-Site", "same-origin")
          .sendForm(form).await();
      assertEquals(429, refused.statusCode());
      assertTrue(refused.getHeader("Content-Type").startsWith("text/html"), "a page, not problem+json");
      assertTrue(Long.parseLong(refused.getHeader("Retry-After")) >= 1);
    }
  }
}
