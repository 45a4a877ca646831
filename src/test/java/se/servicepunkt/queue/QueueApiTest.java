package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/** Walk-in tickets, counters, the call-next race and every state transition, against the real database. */
class QueueApiTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(2026, 12, 2, 10, 0).atZone(STOCKHOLM).toInstant());
  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;
  static String general;
  static String permits;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("videoUrlTemplate", "https://video.example.se/{room}"), CLOCK);
    fx = new Fixtures(server);
    org = fx.organisation("Sundbybergs stad");
    admin = fx.token(org, "admin", "staff");
    general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk", "video");
    permits = Lobby.service(server, admin, "Bygglov", "B", "desk");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Open 07:00–20:00 (this class's clock is the test's own; one test asks for a ticket at 21:00). */
  Lobby lobby(String name) {
    return new Lobby(server, fx, org, admin, name, new Lobby.Hours("07:00", "20:00"), general, permits);
  }

  @Test
  void walkInsGetNumbersPerLetterPositionsAndAnEstimateOnceACounterIsOpen() {
    Lobby lobby = lobby("Medborgarkontoret Numrering");
    var first = lobby.ticket(general);
    var second = lobby.ticket(general);
    var permit = lobby.ticket(permits);
    assertEquals("A001", first.getString("number"));
    assertEquals("A002", second.getString("number"));
    assertEquals("B001", permit.getString("number"));
    assertEquals(2, second.getInteger("position"));
    assertEquals(1, permit.getInteger("position"), "positions count the same service only");
    assertNull(second.getValue("estimatedWaitMinutes"), "no counter open, no estimate");
    assertTrue(first.getString("token").length() >= 43);
    assertTrue(first.getJsonObject("links").getString("events").contains("/tickets/" + first.getString("id") + "/events?token="));
    var stored = server.sql("SELECT token_hash FROM ticket WHERE id = $1", UUID.fromString(first.getString("id")));
    assertFalse(new String(stored.iterator().next().getBuffer(0).getBytes()).contains(first.getString("token")));

    lobby.desk("Lucka 1", "desk", general, permits);
    var own = server.get("/api/v1/tickets/" + second.getString("id") + "?token=" + second.getString("token"));
    assertEquals(200, own.statusCode(), own.bodyAsString());
    assertEquals(2, own.bodyAsJsonObject().getInteger("position"));
    assertEquals(20, own.bodyAsJsonObject().getInteger("estimatedWaitMinutes"), "one ahead, 20 minutes each, one counter");
    assertProblem(server.get("/api/v1/tickets/" + second.getString("id") + "?token=wrong"), 404);
    assertProblem(server.get("/api/v1/tickets/" + second.getString("id")), 401);
  }

  @Test
  void badTicketRequestsGetProblemsAndWriteNothing() {
    Lobby lobby = lobby("Medborgarkontoret Felaktigt");
    String notOffered = Lobby.service(server, admin, "Färdtjänst", "F", "desk");
    String path = "/api/v1/service-points/" + lobby.point + "/tickets";
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post(path, null, new JsonObject().put("serviceId", UUID.randomUUID().toString())), "serviceId");
    assertInvalidFields(server.post(path, null, new JsonObject().put("serviceId", notOffered)), "serviceId");
    assertInvalidFields(server.post(path, null, new JsonObject().put("serviceId", permits).put("channel", "video")), "channel");
    assertInvalidFields(server.post(path, null, new JsonObject().put("serviceId", general).put("channel", "phone")), "channel");
    assertInvalidFields(server.post(path, null, new JsonObject().put("serviceId", general).put("language", "de")), "language");
    assertInvalidFields(server.post(path, null, new JsonObject().put("serviceId", general).put("priorityReason", "vip")), "priorityReason");
    assertInvalidFields(server.post(path, null, new JsonObject()), "serviceId");
    assertProblem(server.post("/api/v1/service-points/" + UUID.randomUUID() + "/tickets", null,
        new JsonObject().put("serviceId", general)), 404);
    assertProblem(server.post(path, null, "{not json"), 400);
    var evening = CLOCK.instant();
    try {
      CLOCK.set(LocalDateTime.of(2026, 12, 2, 21, 0).atZone(STOCKHOLM).toInstant());
      assertProblem(server.post(path, null, new JsonObject().put("serviceId", general)), 409);
    } finally {
      CLOCK.set(evening);
    }
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  @Test
  void badInputToStaffAndDisplayEndpointsGetsProblemsAndWritesNothing() {
    Lobby lobby = lobby("Medborgarkontoret Granskning");
    var desk = lobby.desk("Lucka 1", "desk", general, permits);
    var ticket = lobby.ticket(general);
    String t = "/api/v1/tickets/" + ticket.getString("id");
    server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
    server.post(t + "/start", desk.token(), null);
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post("/api/v1/counters/" + desk.counter() + "/call", desk.token(), new JsonObject()), "ticketId");
    assertInvalidFields(server.post("/api/v1/counters/" + desk.counter() + "/call", desk.token(),
        new JsonObject().put("ticketId", "not-an-id")), "ticketId");
    assertProblem(server.post("/api/v1/counters/" + desk.counter() + "/call", desk.token(),
        new JsonObject().put("ticketId", UUID.randomUUID().toString())), 404);
    assertInvalidFields(server.post(t + "/transfer", desk.token(), new JsonObject()), "serviceId");
    assertInvalidFields(server.post(t + "/transfer", desk.token(), new JsonObject().put("serviceId", UUID.randomUUID().toString())), "serviceId");
    assertInvalidFields(server.post(t + "/finish", desk.token(), new JsonObject().put("outcome", "x".repeat(201))), "outcome");
    assertProblem(server.post(t + "/finish", desk.token(), "{not json"), 400);
    assertProblem(server.post("/api/v1/tickets/not-a-ticket/start", desk.token(), null), 404);
    assertInvalidFields(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin, new JsonObject()), "name");
    assertProblem(server.delete("/api/v1/service-points/" + lobby.point + "/display-tokens/" + UUID.randomUUID(), admin), 404);
    assertProblem(server.post("/api/v1/bookings/NONE-XIST/check-in?token=x", null, null), 404);
    assertProblem(server.get("/api/v1/service-points/" + lobby.point + "/display/events?token=wrong"), 401);
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  @Test
  void twentyCountersCallingAtOnceOverTenWaitingGetTenDifferentVisitorsAndTenEmptyAnswers() {
    Lobby lobby = lobby("Medborgarkontoret Rusning");
    for (int i = 0; i < 10; i++) {
      lobby.ticket(general);
    }
    var desks = new ArrayList<Lobby.Desk>();
    for (int i = 0; i < 20; i++) {
      desks.add(lobby.desk("Lucka " + i, "desk", general));
    }
    var calls = new ArrayList<Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>>();
    for (var desk : desks) {
      calls.add(server.client().post("/api/v1/counters/" + desk.counter() + "/call-next")
          .putHeader("Authorization", "Bearer " + desk.token()).send());
    }
    Future.join(calls).await();
    var called = new HashSet<String>();
    int empty = 0;
    for (var call : calls) {
      var response = call.result();
      if (response.statusCode() == 204) {
        empty++;
      } else {
        assertEquals(200, response.statusCode(), response.bodyAsString());
        assertTrue(called.add(response.bodyAsJsonObject().getString("id")), "called twice: " + response.bodyAsString());
      }
    }
    assertEquals(10, called.size());
    assertEquals(10, empty);
    assertEquals(10L, server.sql("SELECT count(DISTINCT counter_id) FROM ticket WHERE service_point_id = $1 AND status = 'called'",
        UUID.fromString(lobby.point)).iterator().next().getLong(0));
  }

  @Test
  void everyTransitionOfAVisitAndEveryInvalidOneAnswers409WithoutChange() {
    Lobby lobby = lobby("Medborgarkontoret Besök");
    var desk = lobby.desk("Lucka 1", "desk", general, permits);
    var ticket = lobby.ticket(general);
    String id = ticket.getString("id");
    String t = "/api/v1/tickets/" + id;

    for (String action : List.of("recall", "start", "finish", "no-show", "return")) {
      assertProblem(server.post(t + "/" + action, desk.token(), null), 409);
    }
    var called = server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
    assertEquals(200, called.statusCode(), called.bodyAsString());
    assertEquals("called", called.bodyAsJsonObject().getString("status"));
    assertEquals("Lucka 1", called.bodyAsJsonObject().getJsonObject("counter").getString("name"));
    assertProblem(server.post("/api/v1/counters/" + desk.counter() + "/call", desk.token(), new JsonObject().put("ticketId", id)), 409);
    assertProblem(server.post(t + "/finish", desk.token(), null), 409);
    var recalled = server.post(t + "/recall", desk.token(), null);
    assertEquals(1, recalled.bodyAsJsonObject().getInteger("recalls"));
    assertEquals("serving", server.post(t + "/start", desk.token(), null).bodyAsJsonObject().getString("status"));
    assertProblem(server.post(t + "/start", desk.token(), null), 409);
    assertProblem(server.post(t + "/no-show", desk.token(), null), 409);
    assertProblem(server.post(t + "/transfer", desk.token(), new JsonObject().put("serviceId", general)), 409);

    var transferred = server.post(t + "/transfer", desk.token(), new JsonObject().put("serviceId", permits));
    assertEquals(200, transferred.statusCode(), transferred.bodyAsString());
    assertEquals("waiting", transferred.bodyAsJsonObject().getString("status"));
    assertEquals(permits, transferred.bodyAsJsonObject().getJsonObject("service").getString("id"));
    assertEquals(ticket.getString("arrivedAt"), transferred.bodyAsJsonObject().getString("arrivedAt"), "keeps the arrival time");
    assertEquals(ticket.getString("number"), transferred.bodyAsJsonObject().getString("number"));

    assertEquals(200, server.post("/api/v1/counters/" + desk.counter() + "/call", desk.token(), new JsonObject().put("ticketId", id)).statusCode());
    assertEquals("waiting", server.post(t + "/return", desk.token(), null).bodyAsJsonObject().getString("status"));
    assertEquals(200, server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null).statusCode());
    assertEquals("no_show", server.post(t + "/no-show", desk.token(), null).bodyAsJsonObject().getString("status"));
    for (String action : List.of("recall", "start", "finish", "no-show", "return")) {
      assertProblem(server.post(t + "/" + action, desk.token(), null), 409);
    }

    var next = lobby.ticket(permits);
    server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
    server.post("/api/v1/tickets/" + next.getString("id") + "/start", desk.token(), null);
    var done = server.post("/api/v1/tickets/" + next.getString("id") + "/finish", desk.token(), new JsonObject().put("outcome", "Ansökan inlämnad"));
    assertEquals("done", done.bodyAsJsonObject().getString("status"));
    assertEquals("Ansökan inlämnad", done.bodyAsJsonObject().getString("outcome"));

    var leaving = lobby.ticket(general);
    var left = server.delete("/api/v1/tickets/" + leaving.getString("id") + "?token=" + leaving.getString("token"), null);
    assertEquals("cancelled", left.bodyAsJsonObject().getString("status"));
    assertProblem(server.delete("/api/v1/tickets/" + leaving.getString("id") + "?token=" + leaving.getString("token"), null), 409);
  }

  @Test
  void countersOpenPauseResumeAndCloseAndOnlyTheirOwnStaffCall() {
    Lobby lobby = lobby("Medborgarkontoret Luckor");
    String counter = lobby.counter("Lucka 7", "desk");
    var staff = lobby.staff(general);
    var colleague = lobby.staff(general);
    String c = "/api/v1/counters/" + counter;
    assertProblem(server.post(c + "/call-next", staff.token(), null), 409);
    assertProblem(server.post(c + "/pause", staff.token(), null), 409);
    var opened = server.post(c + "/session", staff.token(), null);
    assertEquals(200, opened.statusCode(), opened.bodyAsString());
    assertEquals("open", opened.bodyAsJsonObject().getJsonObject("session").getString("status"));
    assertProblem(server.post(c + "/session", colleague.token(), null), 409);
    assertProblem(server.post(c + "/call-next", colleague.token(), null), 403);
    assertProblem(server.post(c + "/session", staff.token(), new JsonObject().put("channels", List.of("fax"))), 422);

    assertEquals("paused", server.post(c + "/pause", staff.token(), null).bodyAsJsonObject().getJsonObject("session").getString("status"));
    lobby.ticket(general);
    assertProblem(server.post(c + "/call-next", staff.token(), null), 409);
    assertProblem(server.post(c + "/pause", staff.token(), null), 409);
    assertEquals("open", server.post(c + "/resume", staff.token(), null).bodyAsJsonObject().getJsonObject("session").getString("status"));
    var called = server.post(c + "/call-next", staff.token(), null);
    assertEquals(200, called.statusCode());
    assertProblem(server.delete(c + "/session", staff.token()), 409);
    server.post("/api/v1/tickets/" + called.bodyAsJsonObject().getString("id") + "/no-show", staff.token(), null);
    var closed = server.delete(c + "/session", staff.token());
    assertEquals(200, closed.statusCode(), closed.bodyAsString());
    assertNull(closed.bodyAsJsonObject().getValue("session"));

    String outsider = fx.token(fx.organisation("Annan kommun"), "staff");
    assertProblem(server.post(c + "/session", outsider, null), 403);
    assertProblem(server.post(c + "/session", null, null), 401);
    assertProblem(server.post("/api/v1/counters/" + UUID.randomUUID() + "/session", staff.token(), null), 404);
  }

  @Test
  void aPauseSaysWhyAndColleaguesSeeItUntilTheCounterResumes() {
    Lobby lobby = lobby("Medborgarkontoret Paus");
    String counter = lobby.counter("Lucka 3", "desk");
    var staff = lobby.staff(general);
    var colleague = lobby.staff(general);
    String c = "/api/v1/counters/" + counter;
    assertEquals(200, server.post(c + "/session", staff.token(), null).statusCode());

    // a reason that is not one of the four changes nothing
    assertProblem(server.post(c + "/pause", staff.token(), new JsonObject().put("reason", "coffee")), 422);
    assertProblem(server.post(c + "/pause", staff.token(), new JsonObject().put("reason", 3)), 422);
    assertEquals("open", server.sql("SELECT status FROM counter_session WHERE counter_id = $1 AND status <> 'closed'",
        UUID.fromString(counter)).iterator().next().getString(0));

    var paused = server.post(c + "/pause", staff.token(), new JsonObject().put("reason", "lunch"));
    assertEquals(200, paused.statusCode(), paused.bodyAsString());
    var session = paused.bodyAsJsonObject().getJsonObject("session");
    assertEquals("paused", session.getString("status"));
    assertEquals("lunch", session.getString("pauseReason"));
    assertNotNull(session.getString("pausedAt"));

    // a colleague's view of the point (the console's snapshot) shows why
    var queue = server.get("/api/v1/service-points/" + lobby.point + "/queue", colleague.token()).bodyAsJsonObject();
    var listed = queue.getJsonArray("counters").getJsonObject(0).getJsonObject("session");
    assertEquals("lunch", listed.getString("pauseReason"));
    // and so does the staff stream's event of the pause
    var events = server.sql("SELECT data FROM queue_event WHERE service_point_id = $1 AND type = 'counter-paused'",
        UUID.fromString(lobby.point));
    assertEquals("lunch", events.iterator().next().getJsonObject(0).getJsonObject("counter").getString("pauseReason"));

    var resumed = server.post(c + "/resume", staff.token(), null).bodyAsJsonObject().getJsonObject("session");
    assertEquals("open", resumed.getString("status"));
    assertNull(resumed.getValue("pauseReason"), "resuming clears the reason");
    assertNull(resumed.getValue("pausedAt"));

    // without a body (older clients) the pause says no reason
    var unexplained = server.post(c + "/pause", staff.token(), null).bodyAsJsonObject().getJsonObject("session");
    assertEquals("paused", unexplained.getString("status"));
    assertNull(unexplained.getValue("pauseReason"));
  }

  @Test
  void theQueueReadsAsStaffSeeIt() {
    Lobby lobby = lobby("Medborgarkontoret Översikt");
    lobby.desk("Lucka 1", "desk", general);
    lobby.ticket(general);
    var queue = server.get("/api/v1/service-points/" + lobby.point + "/queue", admin);
    assertEquals(200, queue.statusCode(), queue.bodyAsString());
    assertEquals(1, queue.bodyAsJsonObject().getJsonArray("tickets").size());
    assertEquals(1, queue.bodyAsJsonObject().getJsonArray("counters").size());
    assertNotNull(queue.bodyAsJsonObject().getLong("lastEventId"));
    assertProblem(server.get("/api/v1/service-points/" + lobby.point + "/queue", fx.token(fx.organisation("Utomstående"), "staff")), 403);
    assertProblem(server.get("/api/v1/service-points/" + lobby.point + "/queue"), 401);
  }
}
