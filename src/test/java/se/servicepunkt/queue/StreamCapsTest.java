package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestServer;

/**
 * The caps on event streams: per ticket, per display token, per client address (the forwarded
 * one only from a trusted proxy) and per instance, each refused before the stream starts with
 * 429 or 503 and {@code Retry-After}; and the jittered reconnection hint.
 */
class StreamCapsTest {
  /** One lobby with a service, on a server of its own with the given settings. */
  private static final class Setup implements AutoCloseable {
    final TestServer server;
    final Lobby lobby;
    final String service;
    final String admin;
    final List<SseClient> open = new ArrayList<>();

    Setup(Map<String, Object> settings) {
      server = TestServer.start(settings);
      var fx = new Fixtures(server);
      String org = fx.organisation("Huddinge kommun");
      admin = fx.token(org, "admin", "staff");
      service = Lobby.service(server, admin, "Medborgarservice", "M", "desk");
      lobby = new Lobby(server, fx, org, admin, "Medborgarkontor Flemingsberg", service);
    }

    String ticketPath() {
      JsonObject ticket = lobby.ticket(service);
      return "/api/v1/tickets/" + ticket.getString("id") + "/events?token=" + ticket.getString("token");
    }

    String displayPath() {
      String token = created(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin,
          new JsonObject().put("name", "Skärm"))).getString("token");
      return "/api/v1/service-points/" + lobby.point + "/display/events?token=" + token;
    }

    SseClient stream(String path, Map<String, String> headers) {
      var sse = server.stream(path, headers);
      open.add(sse);
      return sse;
    }

    SseClient stream(String path) {
      return stream(path, Map.of());
    }

    SseClient accepted(String path, Map<String, String> headers) {
      var sse = stream(path, headers);
      assertEquals(200, sse.status(), sse.body());
      sse.next("snapshot");
      return sse;
    }

    SseClient accepted(String path) {
      return accepted(path, Map.of());
    }

    @Override
    public void close() {
      open.forEach(SseClient::close);
      server.close();
    }
  }

  private static void assertRefused(SseClient sse, int status) {
    assertEquals(status, sse.status(), sse.body());
    assertTrue(sse.contentType().startsWith("application/problem+json"), sse.contentType());
    assertEquals(status, new JsonObject(sse.body()).getInteger("status"));
    assertTrue(Integer.parseInt(sse.headers().get("Retry-After")) >= 1, "Retry-After in seconds");
  }

  /** Tries {@code attempt} until it is accepted: a slot is freed only once the server has seen the close. */
  private static SseClient eventually(Supplier<SseClient> attempt) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      SseClient sse = attempt.get();
      if (sse.status() == 200 || System.nanoTime() > deadline) {
        return sse;
      }
    }
  }

  @Test
  void aTicketHasAtMostItsCapOfStreamsAndAClosedOneFreesItsPlace() {
    try (var setup = new Setup(Map.of("streamsPerTicket", 2))) {
      String ticket = setup.ticketPath();
      SseClient first = setup.accepted(ticket);
      setup.accepted(ticket);
      assertRefused(setup.stream(ticket), 429);
      setup.accepted(setup.ticketPath()); // another ticket is not affected

      first.close();
      assertEquals(200, eventually(() -> setup.stream(ticket)).status(), "the closed stream's place is free again");
    }
  }

  @Test
  void aDisplayTokenHasAtMostItsCapOfScreens() {
    try (var setup = new Setup(Map.of("streamsPerDisplay", 2))) {
      String display = setup.displayPath();
      setup.accepted(display);
      setup.accepted(display);
      assertRefused(setup.stream(display), 429);
    }
  }

  @Test
  void anAddressHasAtMostItsCapOfStreamsCountingTheForwardedAddressOnlyFromATrustedProxy() {
    try (var setup = new Setup(Map.of("streamsPerAddress", 2))) {
      setup.accepted(setup.ticketPath());
      setup.accepted(setup.ticketPath());
      assertRefused(setup.stream(setup.ticketPath()), 429);

      // The test client is on loopback, a trusted proxy by default: nginx's forwarded address counts.
      var phone = Map.of("X-Forwarded-For", "203.0.113.7");
      setup.accepted(setup.ticketPath(), phone);
      setup.accepted(setup.ticketPath(), Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.7"));
      assertRefused(setup.stream(setup.ticketPath(), phone), 429);
    }
  }

  @Test
  void aForwardedAddressFromAPeerThatIsNoTrustedProxyIsIgnored() {
    try (var setup = new Setup(Map.of("streamsPerAddress", 1, "trustedProxies", List.of("10.0.0.1")))) {
      setup.accepted(setup.ticketPath(), Map.of("X-Forwarded-For", "203.0.113.7"));
      assertRefused(setup.stream(setup.ticketPath(), Map.of("X-Forwarded-For", "203.0.113.8")), 429);
    }
  }

  @Test
  void aFullInstanceRefusesFurtherStreamsWith503() {
    try (var setup = new Setup(Map.of("streamsPerInstance", 2))) {
      setup.accepted(setup.ticketPath());
      setup.accepted(setup.displayPath());
      assertRefused(setup.stream(setup.displayPath()), 503);
    }
  }

  @Test
  void eachStreamSuggestsItsOwnReconnectionDelayBetweenTwoAndFiveSeconds() {
    try (var setup = new Setup(Map.of())) {
      String display = setup.displayPath();
      var delays = new java.util.HashSet<Long>();
      for (int i = 0; i < 8; i++) {
        long retry = setup.accepted(display).retry();
        assertTrue(retry >= 2_000 && retry <= 5_000, "retry " + retry);
        delays.add(retry);
      }
      assertTrue(delays.size() > 1, "not every stream reconnects after the same delay: " + delays);
    }
  }
}
