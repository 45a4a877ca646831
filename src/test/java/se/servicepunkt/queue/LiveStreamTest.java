package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/** The three event streams: snapshots, live changes, resuming, LISTEN failures and two instances. */
class LiveStreamTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(2026, 12, 2, 10, 0).atZone(STOCKHOLM).toInstant());
  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;
  static String general;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("videoUrlTemplate", "https://video.example.se/{room}", "sseHeartbeatSeconds", 1), CLOCK);
    fx = new Fixtures(server);
    org = fx.organisation("Solna stad");
    admin = fx.token(org, "admin", "staff");
    general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk", "video");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  Lobby lobby(String name) {
    return new Lobby(server, fx, org, admin, name, general);
  }

  String displayToken(Lobby lobby) {
    return created(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin,
        new JsonObject().put("name", "Skärm entré"))).getString("token");
  }

  String displayPath(Lobby lobby, String token) {
    return "/api/v1/service-points/" + lobby.point + "/display/events?token=" + token;
  }

  /** The next waiting summary whose first row counts {@code waiting}, skipping older summaries. */
  static se.servicepunkt.testing.SseClient.Event waitingFrame(se.servicepunkt.testing.SseClient stream, int waiting) {
    while (true) {
      var summary = stream.next("waiting");
      if (summary.json().getJsonArray("waiting").getJsonObject(0).getInteger("waiting") == waiting) {
        return summary;
      }
    }
  }

  JsonObject callNext(Lobby.Desk desk) {
    var called = server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
    assertEquals(200, called.statusCode(), called.bodyAsString());
    return called.bodyAsJsonObject();
  }

  @Test
  void aDisplayGetsASnapshotThenEachCallAndHeartbeats() {
    Lobby lobby = lobby("Servicepunkt Display");
    var desk = lobby.desk("Lucka 3", "desk", general);
    lobby.ticket(general);
    try (var display = server.stream(displayPath(lobby, displayToken(lobby)))) {
      assertEquals(200, display.status());
      assertTrue(display.contentType().startsWith("text/event-stream"));
      var snapshot = display.next();
      assertEquals("snapshot", snapshot.event());
      assertNotNull(display.retry(), "a retry hint");
      assertEquals(1, snapshot.json().getJsonArray("waiting").getJsonObject(0).getInteger("waiting"));
      assertEquals(snapshot.idNumber(), snapshot.json().getLong("lastEventId"));

      var ticket = callNext(desk);
      var called = display.next("ticket-called");
      assertEquals(snapshot.idNumber() + 1, called.idNumber());
      assertEquals(ticket.getString("number"), called.json().getJsonObject("ticket").getString("number"));
      assertEquals("Lucka 3", called.json().getJsonObject("ticket").getString("counterName"));
      assertNull(called.json().getValue("waiting"), "events carry no summary: it comes in frames of its own");
      var summary = waitingFrame(display, 0);
      assertNull(summary.id(), "a summary has no id: the screen's last event id stays");
      assertTrue(summary.json().getLong("lastEventId") >= called.idNumber(), "the summary read after the call");
      assertEquals(200, server.post("/api/v1/tickets/" + ticket.getString("id") + "/start", desk.token(), null).statusCode());
      display.next("ticket-started");
      long reads = server.app().queue().streams().summaryReads();
      assertEquals(200, server.post("/api/v1/tickets/" + ticket.getString("id") + "/finish", desk.token(),
          new JsonObject()).statusCode());
      display.next("ticket-finished");
      waitingFrame(display, 0);
      assertEquals(1, server.app().queue().streams().summaryReads() - reads,
          "a start cannot change the summary (no read), a finish may change the estimate (one read)");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!display.comments().contains("heartbeat") && System.nanoTime() < deadline) {
        display.drain(Duration.ofMillis(200));
      }
      assertTrue(display.comments().contains("heartbeat"), "a heartbeat comment within the configured interval");
    }
  }

  /**
   * The visitor's stream sends its heartbeat as a named event too (a page's EventSource cannot see
   * comments), without an id, so a reconnect still resumes from the last change.
   */
  @Test
  void aVisitorsStreamSendsNamedHeartbeatsWithoutAnId() {
    Lobby lobby = lobby("Servicepunkt Hjärtslag");
    var mine = lobby.ticket(general);
    String path = "/api/v1/tickets/" + mine.getString("id") + "/events?token=" + mine.getString("token");
    try (var stream = server.stream(path)) {
      stream.next("snapshot");
      var heartbeat = stream.next("heartbeat");
      assertEquals(null, heartbeat.id(), "no id: the last event id stays the last change's");
      assertEquals("{}", heartbeat.data());
      assertTrue(stream.comments().contains("heartbeat"), "the comment stays, for clients that read it");
    }
  }

  @Test
  void theDisplayStreamCarriesNoPersonalData() {
    Lobby lobby = lobby("Servicepunkt Integritet");
    var desk = lobby.desk("Lucka 1", "desk", general);
    try (var display = server.stream(displayPath(lobby, displayToken(lobby)))) {
      display.next("snapshot");
      var priority = lobby.ticket(general, "desk", "mobility");
      var video = lobby.ticket(general, "video", null);
      callNext(desk);
      server.post("/api/v1/tickets/" + priority.getString("id") + "/start", desk.token(), null);
      server.post("/api/v1/tickets/" + priority.getString("id") + "/finish", desk.token(), new JsonObject().put("outcome", "Ärende om Karin Karlsson"));
      var events = new java.util.ArrayList<SseClient.Event>();
      do {
        events.add(display.next());
      } while (!events.get(events.size() - 1).event().equals("ticket-finished"));
      assertFalse(events.isEmpty());
      for (var event : events) {
        String data = event.data();
        for (String secret : List.of(priority.getString("id"), priority.getString("token"), video.getString("id"),
            "mobility", "priority", "Karin", "outcome", "@", "token", "staffId", "bookingId")) {
          assertFalse(data.contains(secret), event.event() + " carries '" + secret + "': " + data);
        }
      }
    }
  }

  @Test
  void aDisplayResumingWithItsLastEventIdGetsExactlyTheMissedEventsInOrder() {
    Lobby lobby = lobby("Servicepunkt Återanslutning");
    var desk = lobby.desk("Lucka 2", "desk", general);
    String token = displayToken(lobby);
    long last;
    try (var display = server.stream(displayPath(lobby, token))) {
      last = display.next("snapshot").idNumber();
    }
    var first = lobby.ticket(general);
    var second = lobby.ticket(general);
    callNext(desk);
    callNext(desk);
    try (var display = server.stream(displayPath(lobby, token), Map.of("Last-Event-ID", String.valueOf(last)))) {
      var missed = new java.util.ArrayList<SseClient.Event>();
      missed.add(display.next()); // the replay may take a moment on a busy machine
      missed.addAll(display.drain(Duration.ofMillis(700)));
      missed.removeIf(e -> "heartbeat".equals(e.event())); // named heartbeats come on their own clock
      assertEquals(List.of("ticket-created", "ticket-created", "ticket-called", "ticket-called"),
          missed.stream().map(SseClient.Event::event).toList());
      assertEquals(List.of(last + 1, last + 2, last + 3, last + 4), missed.stream().map(SseClient.Event::idNumber).toList());
      assertEquals(first.getString("number"), missed.get(2).json().getJsonObject("ticket").getString("number"));
      assertEquals(second.getString("number"), missed.get(3).json().getJsonObject("ticket").getString("number"));
    }
    try (var display = server.stream(displayPath(lobby, token) + "&lastEventId=" + (last + 4))) {
      lobby.ticket(general);
      var next = display.next();
      assertEquals("ticket-created", next.event(), "nothing missed, so no snapshot: straight to the next change");
      assertEquals(last + 5, next.idNumber());
    }
    try (var display = server.stream(displayPath(lobby, token), Map.of("Last-Event-ID", "999999"))) {
      assertEquals("snapshot", display.next().event(), "an id the server never gave: a fresh snapshot");
    }
    try (var strict = server.another(Map.of("sseReplayMax", 2));
         var display = strict.stream(displayPath(lobby, token), Map.of("Last-Event-ID", String.valueOf(last)))) {
      var fresh = display.next();
      assertEquals("snapshot", fresh.event(), "further behind than sseReplayMax: a fresh snapshot");
      assertEquals(last + 5, fresh.idNumber());
    }
  }

  @Test
  void theListenConnectionKilledRecoversWithoutLosingAnEvent() throws Exception {
    Lobby lobby = lobby("Servicepunkt Avbrott");
    var desk = lobby.desk("Lucka 5", "desk", general);
    lobby.ticket(general);
    try (var display = server.stream(displayPath(lobby, displayToken(lobby)))) {
      display.next("snapshot");
      var listeners = server.sql("SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'");
      assertEquals(1, listeners.size(), "one LISTEN connection per instance");
      int pid = listeners.iterator().next().getInteger(0);
      assertTrue(server.sql("SELECT pg_terminate_backend($1)", pid).iterator().next().getBoolean(0));
      var ticket = callNext(desk);
      var called = display.next("ticket-called");
      assertEquals(ticket.getString("number"), called.json().getJsonObject("ticket").getString("number"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Integer newPid = null;
      while (newPid == null && System.nanoTime() < deadline) {
        var again = server.sql("SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND pid <> $1", pid);
        newPid = again.size() == 1 ? again.iterator().next().getInteger(0) : null;
        Thread.sleep(50);
      }
      assertNotNull(newPid, "listening again, on a new connection");
      lobby.ticket(general);
      assertEquals("ticket-created", display.next(Duration.ofSeconds(2)).event());
    }
  }

  /** How soon is for a benchmark, not a test's clock (the live benchmark measures call-to-screen latency, on one instance). */
  @Test
  void aScreenOnTheSecondInstanceSeesACallMadeOnTheFirst() {
    Lobby lobby = lobby("Servicepunkt Två instanser");
    var desk = lobby.desk("Lucka 9", "desk", general);
    lobby.ticket(general);
    try (var second = server.another(Map.of("sseHeartbeatSeconds", 15));
         var display = second.stream(displayPath(lobby, displayToken(lobby)))) {
      display.next("snapshot");
      var ticket = callNext(desk);
      var called = display.next();
      assertEquals("ticket-called", called.event());
      assertEquals(ticket.getString("number"), called.json().getJsonObject("ticket").getString("number"));
    }
  }

  @Test
  void aVisitorFollowsTheirPlaceUntilCalledAndAVideoVisitorGetsTheLinkWhenAdmitted() {
    Lobby lobby = lobby("Servicepunkt Besökare");
    var desk = lobby.desk("Lucka 4", "desk", general);
    var videoRoom = lobby.desk("Videorum 1", "video", general);
    lobby.ticket(general);
    var mine = lobby.ticket(general);
    var video = lobby.ticket(general, "video", null);
    String path = "/api/v1/tickets/" + mine.getString("id") + "/events?token=" + mine.getString("token");
    try (var stream = server.stream(path)) {
      var snapshot = stream.next("snapshot").json();
      assertEquals(2, snapshot.getInteger("position"));
      assertEquals("waiting", snapshot.getString("status"));
      callNext(desk);
      var moved = stream.next("ticket").json();
      assertEquals(1, moved.getInteger("position"));
      server.post("/api/v1/tickets/" + mine.getString("id") + "/recall", desk.token(), null); // not called yet: 409, no event
      callNext(desk);
      var calledFrame = stream.next("ticket");
      var called = calledFrame.json();
      assertEquals("called", called.getString("status"));
      assertEquals("Lucka 4", called.getString("counterName"));
      assertEquals(null, called.getValue("videoLink"));
      // a visitor who comes back gets their whole state as a snapshot, whatever id they last had
      try (var again = server.stream(path, Map.of("Last-Event-ID", String.valueOf(snapshot.getLong("lastEventId"))))) {
        var state = again.next("snapshot");
        assertEquals("called", state.json().getString("status"));
        assertTrue(state.idNumber() >= calledFrame.idNumber(), "the state includes the call's event");
      }
    }
    assertProblem(server.get("/api/v1/tickets/" + mine.getString("id") + "/events?token=nope"), 404);
    assertEventually(() -> server.app().live().subscribers(java.util.UUID.fromString(lobby.point)) == 0,
        "a closed stream leaves the point's feed");

    String videoPath = "/api/v1/tickets/" + video.getString("id") + "/events?token=" + video.getString("token");
    try (var stream = server.stream(videoPath)) {
      assertEquals(null, stream.next("snapshot").json().getValue("videoLink"), "no link before admission");
      callNext(videoRoom);
      var admitted = stream.next("ticket").json();
      assertEquals("called", admitted.getString("status"));
      assertTrue(admitted.getString("videoLink").startsWith("https://video.example.se/sp-"), admitted.encode());
    }
  }

  static void assertEventually(java.util.function.BooleanSupplier condition, String message) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertTrue(condition.getAsBoolean(), message);
  }

  @Test
  void staffFollowTheWholeQueueWithABearerTokenEvenFromEventSource() {
    Lobby lobby = lobby("Servicepunkt Konsol");
    var desk = lobby.desk("Lucka 6", "desk", general);
    String path = "/api/v1/service-points/" + lobby.point + "/queue/events";
    try (var console = server.stream(path + "?access_token=" + desk.token())) {
      var snapshot = console.next("snapshot").json();
      assertEquals(1, snapshot.getJsonArray("counters").size());
      var ticket = lobby.ticket(general, "desk", "mobility");
      var created = console.next("ticket-created").json();
      assertEquals(ticket.getString("id"), created.getJsonObject("ticket").getString("id"));
      assertTrue(created.getJsonObject("ticket").getBoolean("priority"));
      assertTrue(created.getString("at", "").matches("\\d{4}-\\d\\d-\\d\\dT.*[+-]\\d\\d:\\d\\d"),
          "when it happened, in the point's zone (the console's waiting times): " + created.getString("at"));
    }
    try (var refused = server.stream(path)) {
      assertEquals(401, refused.status());
    }
    try (var refused = server.stream(path, Map.of("Authorization", "Bearer " + fx.token(fx.organisation("Främmande"), "staff")))) {
      assertEquals(403, refused.status());
    }
  }

  @Test
  void aRevokedDisplayTokenDisconnectsItsScreensAndIsRefused() {
    Lobby lobby = lobby("Servicepunkt Återkallad");
    var token = created(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin,
        new JsonObject().put("name", "Skärm väntrum")));
    var listed = server.get("/api/v1/service-points/" + lobby.point + "/display-tokens", admin).bodyAsJsonArray();
    assertEquals(1, listed.size());
    assertFalse(listed.encode().contains(token.getString("token")), "the token is shown only once");
    try (var display = server.stream(displayPath(lobby, token.getString("token")))) {
      display.next("snapshot");
      assertEquals(204, server.delete("/api/v1/service-points/" + lobby.point + "/display-tokens/" + token.getString("id"), admin).statusCode());
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!display.ended() && System.nanoTime() < deadline) {
        display.drain(Duration.ofMillis(100));
      }
      assertTrue(display.ended(), "the screen was disconnected");
    }
    try (var refused = server.stream(displayPath(lobby, token.getString("token")))) {
      assertEquals(401, refused.status());
    }
    try (var refused = server.stream(displayPath(lobby, "guess"))) {
      assertEquals(401, refused.status());
    }
    assertProblem(server.delete("/api/v1/service-points/" + lobby.point + "/display-tokens/" + token.getString("id"), admin), 409);
    assertProblem(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", fx.token(org, "staff"),
        new JsonObject().put("name", "x")), 403);
  }
}
