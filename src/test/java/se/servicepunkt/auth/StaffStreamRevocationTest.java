package se.servicepunkt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestServer;

/**
 * A member of staff's open event streams end within seconds of their sign-in ending, whichever way
 * it ends (deactivated, roles changed, signed out everywhere, password changed), with a last event
 * {@code access-ended}; anyone else's streams stay open.
 */
class StaffStreamRevocationTest {
  /** The check runs every two seconds; a stream must end within a few of the change. */
  private static final Duration WITHIN = Duration.ofMillis(StreamRevocation.CHECK_MILLIS * 3);

  private record Member(String id, String email, String token) {
  }

  @Test
  void everyWayASignInEndsEndsItsOpenStreamsAndNoOneElses() {
    try (var server = TestServer.start()) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Uppsala");
      String admin = fx.token(org, "admin", "staff");
      String point = fx.servicePoint(admin, "Vårdcentralen Gränby", "office");
      fx.openEveryDay(admin, point, "00:00", "23:59");
      String service = fx.service(org, "Intyg", "I", "desk");
      assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + service, admin, null).statusCode());
      var ticket = server.post("/api/v1/service-points/" + point + "/tickets", null,
          new JsonObject().put("serviceId", service).put("channel", "desk")).bodyAsJsonObject();

      Member deactivated = member(server, fx, org);
      Member demoted = member(server, fx, org);
      Member signedOut = member(server, fx, org);
      Member newPassword = member(server, fx, org);
      Member bystander = member(server, fx, org);
      String console = "/api/v1/service-points/" + point + "/queue/events?access_token=";
      try (var deactivatedStream = open(server, console + enc(deactivated.token()), Map.of());
           var deactivatedTicketStream = open(server, "/api/v1/tickets/" + ticket.getString("id") + "/events",
               Map.of("Authorization", "Bearer " + deactivated.token()));
           var demotedStream = open(server, console + enc(demoted.token()), Map.of());
           var signedOutStream = open(server, console + enc(signedOut.token()), Map.of());
           var newPasswordStream = open(server, console + enc(newPassword.token()), Map.of());
           var bystanderStream = open(server, console + enc(bystander.token()), Map.of())) {

        // deactivated by their admin
        var person = new JsonObject().put("email", deactivated.email()).put("displayName", "Anna")
            .put("roles", new JsonArray().add("staff")).put("active", false);
        assertEquals(200, server.put("/api/v1/staff/" + deactivated.id(), admin, person).statusCode());
        assertEnded(deactivatedStream, "deactivated");
        assertEnded(deactivatedTicketStream, "deactivated, the ticket's stream");

        // roles changed, by hand in the database (as another instance or a tool would)
        server.sql("UPDATE staff SET roles = ARRAY['staff', 'reception'] WHERE id = $1::uuid", demoted.id());
        assertEnded(demotedStream, "roles changed");

        // signed out (everywhere: every token of theirs ends)
        assertEquals(204, server.post("/api/v1/auth/logout", signedOut.token(), null).statusCode());
        assertEnded(signedOutStream, "signed out");

        // a new password
        assertEquals(204, server.post("/api/v1/auth/password", newPassword.token(), new JsonObject()
            .put("currentPassword", TestServer.PASSWORD).put("newPassword", "another-long-password")).statusCode());
        assertEnded(newPasswordStream, "password changed");

        // the bystander's stream lived through all of it, and still gets the queue's events
        assertFalse(bystanderStream.ended(), "another member of staff's stream stays open");
        server.post("/api/v1/service-points/" + point + "/tickets", null,
            new JsonObject().put("serviceId", service).put("channel", "desk"));
        assertEquals("ticket-created", bystanderStream.next("ticket-created").event());
        assertTrue(bystanderStream.drain(Duration.ofMillis(StreamRevocation.CHECK_MILLIS + 500)).stream()
            .noneMatch(e -> e.event().equals(StreamRevocation.EVENT)));
        assertFalse(bystanderStream.ended());

        // and the ended sign-ins cannot open a stream again
        try (var again = server.stream(console + enc(deactivated.token()), Map.of())) {
          assertEquals(401, again.status());
        }
      }
    }
  }

  private static Member member(TestServer server, Fixtures fx, String org) {
    String email = "staff-" + UUID.randomUUID() + "@revocation.example";
    fx.account(org, email, "staff");
    String id = server.sql("SELECT id::text FROM staff WHERE email = $1", email).iterator().next().getString(0);
    return new Member(id, email, server.signIn(email, TestServer.PASSWORD));
  }

  private static SseClient open(TestServer server, String path, Map<String, String> headers) {
    var stream = server.stream(path, headers);
    assertEquals(200, stream.status(), stream::body);
    assertEquals("snapshot", stream.next().event());
    return stream;
  }

  /** The stream's next event (heartbeats and position updates aside) is {@code access-ended}, and then it ends. */
  private static void assertEnded(SseClient stream, String how) {
    long started = System.nanoTime();
    SseClient.Event event;
    do {
      event = stream.next(WITHIN);
    } while (!event.event().equals(StreamRevocation.EVENT) && System.nanoTime() - started < WITHIN.toNanos());
    assertEquals(StreamRevocation.EVENT, event.event(), how);
    assertTrue(event.json().getString("reason").contains("sign in again"), how);
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (!stream.ended() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(stream.ended(), how + ": the response ended");
  }

  private static String enc(String token) {
    return URLEncoder.encode(token, StandardCharsets.UTF_8);
  }
}
