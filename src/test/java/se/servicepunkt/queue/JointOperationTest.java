package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Joint operation at a shared service point: the host (a municipality) and a member (an agency)
 * serve there, each with its own service. Each action on a visitor's ticket, by each role: only
 * the organisation whose service the ticket is for acts on it, reception may also transfer it,
 * the system administrator may do all; the others see the ticket without its details.
 */
class JointOperationTest {
  static TestServer server;
  static Fixtures fx;
  static Lobby lobby;
  static String host;
  static String member;
  static String adminH;
  static String adminF;
  static String serviceH;
  static String serviceF;
  static Lobby.Desk deskH;
  static Lobby.Desk deskF;
  static String receptionH;
  static String managerH;
  static String outsider;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    fx = new Fixtures(server);
    host = fx.organisation("Sigtuna kommun");
    member = fx.organisation("Försäkringskassan");
    adminH = fx.token(host, "admin", "staff");
    adminF = fx.token(member, "admin", "staff");
    serviceH = Lobby.service(server, adminH, "Bygglov", "B", "desk");
    serviceF = Lobby.service(server, adminF, "Föräldrapenning", "F", "desk");
    lobby = new Lobby(server, fx, host, adminH, "Servicepunkt Märsta", serviceH);
    assertEquals(204, server.put("/api/v1/service-points/" + lobby.point + "/organisations/" + member, adminH, null)
        .statusCode());
    assertEquals(204, server.put("/api/v1/service-points/" + lobby.point + "/services/" + serviceF, adminF, null)
        .statusCode());
    deskH = lobby.desk("Disk 1", "desk", serviceH);
    String staffF = staffOf(member, adminF, serviceF, "staff");
    String counterF = lobby.counter("Disk 2", "desk");
    assertEquals(200, server.post("/api/v1/counters/" + counterF + "/session", staffF, null).statusCode());
    deskF = new Lobby.Desk(counterF, staffF);
    receptionH = staffOf(host, adminH, serviceH, "staff", "reception");
    managerH = fx.token(host, "manager");
    outsider = fx.token(fx.organisation("Skatteverket"), "staff", "admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A member of staff of {@code organisation} with these roles and one skill; their token. */
  private static String staffOf(String organisation, String admin, String service, String... roles) {
    String email = String.join("-", roles) + "-" + UUID.randomUUID() + "@joint.example";
    fx.account(organisation, email, roles);
    String id = server.sql("SELECT id::text FROM staff WHERE email = $1", email).iterator().next().getString(0);
    assertEquals(200, server.put("/api/v1/staff/" + id + "/skills", admin,
        new JsonObject().put("serviceIds", new JsonArray().add(service))).statusCode());
    return server.signIn(email, TestServer.PASSWORD);
  }

  private static String status(String ticket) {
    return server.sql("SELECT status FROM ticket WHERE id = $1::uuid", ticket).iterator().next().getString(0);
  }

  private static void forbidden(String path, String token, JsonObject body) {
    var before = DbSnapshot.of(server.pool());
    var response = server.post(path, token, body);
    assertEquals(403, response.statusCode(), () -> path + " → " + response.bodyAsString());
    assertProblem(response, 403);
    assertEquals(before, DbSnapshot.of(server.pool()), path + " changed nothing");
  }

  private static JsonObject ok(String path, String token, JsonObject body) {
    var response = server.post(path, token, body);
    assertEquals(200, response.statusCode(), () -> path + " → " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  @Test
  void onlyTheTicketsOrganisationCallsAndWorksItAndReceptionMayTransferIt() {
    String ticket = lobby.ticket(serviceF).getString("id");
    String path = "/api/v1/tickets/" + ticket;
    List<String> others = List.of(deskH.token(), adminH, receptionH, managerH, outsider);

    // calling a chosen visitor: only the organisation's own counter
    forbidden("/api/v1/counters/" + deskH.counter() + "/call", deskH.token(), new JsonObject().put("ticketId", ticket));
    assertEquals("waiting", status(ticket));
    for (String token : List.of(deskH.token(), adminH, managerH, outsider)) {
      forbidden(path + "/transfer", token, new JsonObject().put("serviceId", serviceH));
    }
    ok("/api/v1/counters/" + deskF.counter() + "/call", deskF.token(), new JsonObject().put("ticketId", ticket));

    // called: recall, no-show, return and start belong to its organisation
    for (String action : List.of("recall", "no-show", "return", "start")) {
      for (String token : others) {
        forbidden(path + "/" + action, token, null);
      }
    }
    assertEquals("called", status(ticket));
    assertEquals(1, ok(path + "/recall", deskF.token(), null).getInteger("recalls"));
    assertEquals(2, ok(path + "/recall", fx.sysadmin(), null).getInteger("recalls"), "the system administrator may");
    assertEquals("serving", ok(path + "/start", deskF.token(), null).getString("status"));
    for (String token : others) {
      forbidden(path + "/finish", token, new JsonObject().put("outcome", "klart"));
    }
    assertEquals("done", ok(path + "/finish", deskF.token(), new JsonObject().put("outcome", "klart")).getString("status"));

    // no-show and back to the queue, by the organisation's staff
    String second = lobby.ticket(serviceF).getString("id");
    ok("/api/v1/counters/" + deskF.counter() + "/call", deskF.token(), new JsonObject().put("ticketId", second));
    assertEquals("waiting", ok("/api/v1/tickets/" + second + "/return", deskF.token(), null).getString("status"));
    ok("/api/v1/counters/" + deskF.counter() + "/call", deskF.token(), new JsonObject().put("ticketId", second));
    assertEquals("no_show", ok("/api/v1/tickets/" + second + "/no-show", deskF.token(), null).getString("status"));
  }

  @Test
  void receptionTransfersAnyTicketToAnyServiceThereAndThenItBelongsToThatOrganisation() {
    String ticket = lobby.ticket(serviceF).getString("id");
    String path = "/api/v1/tickets/" + ticket;
    forbidden(path + "/transfer", deskH.token(), new JsonObject().put("serviceId", serviceH));
    forbidden(path + "/transfer", adminH, new JsonObject().put("serviceId", serviceH));
    forbidden(path + "/transfer", outsider, new JsonObject().put("serviceId", serviceH));

    var moved = ok(path + "/transfer", receptionH, new JsonObject().put("serviceId", serviceH));
    assertEquals(serviceH, moved.getJsonObject("service").getString("id"));
    assertEquals(host, moved.getString("organisationId"));
    // now the host's: its organisation's staff call it, the agency's no longer act on it
    forbidden(path + "/transfer", deskF.token(), new JsonObject().put("serviceId", serviceF));
    forbidden("/api/v1/counters/" + deskF.counter() + "/call", deskF.token(), new JsonObject().put("ticketId", ticket));
    ok("/api/v1/counters/" + deskH.counter() + "/call", deskH.token(), new JsonObject().put("ticketId", ticket));
    // staff may send their own visitor on to another organisation's service at the point
    var sent = ok(path + "/transfer", deskH.token(), new JsonObject().put("serviceId", serviceF));
    assertEquals(member, sent.getString("organisationId"));
    assertEquals("waiting", sent.getString("status"));

    // the system administrator may transfer; a waiting ticket is taken out of the queue only by its organisation
    assertEquals(host, ok(path + "/transfer", fx.sysadmin(), new JsonObject().put("serviceId", serviceH))
        .getString("organisationId"));
    var before = DbSnapshot.of(server.pool());
    assertProblem(server.delete(path, deskF.token()), 403);
    assertEquals(before, DbSnapshot.of(server.pool()));
    var left = server.delete(path, deskH.token());
    assertEquals(200, left.statusCode(), left::bodyAsString);
    assertEquals("cancelled", status(ticket));
  }

  @Test
  void callNextDrawsOnlyFromTheCallersOrganisationsServicesEvenWithAStraySkill() {
    // a skill for another organisation's service, written by hand (the API refuses it)
    String staffId = server.get("/api/v1/auth/me", deskH.token()).bodyAsJsonObject().getString("id");
    server.sql("INSERT INTO staff_skill (staff_id, service_id) VALUES ($1::uuid, $2::uuid)", staffId, serviceF);
    try {
      drain();
      String number = lobby.ticket(serviceF).getString("number");
      assertNull(lobby.callNext(deskH), "the municipality's counter does not draw the agency's visitor");
      assertEquals(number, lobby.callNext(deskF));
    } finally {
      server.sql("DELETE FROM staff_skill WHERE staff_id = $1::uuid AND service_id = $2::uuid", staffId, serviceF);
    }
  }

  /** Serves away whatever the desk would call, so each test starts from its own tickets. */
  private static void drain() {
    server.sql("UPDATE ticket SET status = 'cancelled', finished_at = now() WHERE service_point_id = $1::uuid"
        + " AND status IN ('waiting', 'called', 'serving')", lobby.point);
  }

  @Test
  void otherOrganisationsSeeTheTicketButNotItsReasonOutcomeOrBooking() {
    String ticket = lobby.ticket(serviceF, "desk", "mobility").getString("id");
    for (String token : List.of(deskH.token(), adminH, receptionH, managerH)) {
      var seen = server.get("/api/v1/tickets/" + ticket, token);
      assertEquals(200, seen.statusCode(), seen::bodyAsString);
      var json = seen.bodyAsJsonObject();
      assertNull(json.getString("priorityReason"));
      assertTrue(json.getBoolean("priority"), "that there is a reason is shown");
      assertEquals(member, json.getString("organisationId"));
      assertFalse(json.containsKey("booking"));
    }
    assertEquals("mobility", server.get("/api/v1/tickets/" + ticket, deskF.token()).bodyAsJsonObject()
        .getString("priorityReason"));
    assertEquals("mobility", server.get("/api/v1/tickets/" + ticket, fx.sysadmin()).bodyAsJsonObject()
        .getString("priorityReason"));
    assertProblem(server.get("/api/v1/tickets/" + ticket, outsider), 404);

    // the queue as each console reads it, and as its stream's snapshot shows it
    assertNull(inQueue(server.get("/api/v1/service-points/" + lobby.point + "/queue", deskH.token()).bodyAsJsonObject(),
        ticket).getValue("priorityReason"));
    assertEquals("mobility", inQueue(server.get("/api/v1/service-points/" + lobby.point + "/queue", deskF.token())
        .bodyAsJsonObject(), ticket).getString("priorityReason"));
    try (var stream = server.stream("/api/v1/service-points/" + lobby.point + "/queue/events",
        Map.of("Authorization", "Bearer " + deskH.token()))) {
      var shown = inQueue(stream.next("snapshot").json(), ticket);
      assertNull(shown.getValue("priorityReason"));
      assertTrue(shown.getBoolean("priority"));
    }
    try (var stream = server.stream("/api/v1/service-points/" + lobby.point + "/queue/events",
        Map.of("Authorization", "Bearer " + deskF.token()))) {
      assertEquals("mobility", inQueue(stream.next("snapshot").json(), ticket).getString("priorityReason"));
    }

    // the outcome: the agency's note, not the municipality's to read
    ok("/api/v1/counters/" + deskF.counter() + "/call", deskF.token(), new JsonObject().put("ticketId", ticket));
    ok("/api/v1/tickets/" + ticket + "/start", deskF.token(), null);
    ok("/api/v1/tickets/" + ticket + "/finish", deskF.token(), new JsonObject().put("outcome", "Ansökan inlämnad"));
    assertNull(server.get("/api/v1/tickets/" + ticket, deskH.token()).bodyAsJsonObject().getValue("outcome"));
    assertEquals("Ansökan inlämnad", server.get("/api/v1/tickets/" + ticket, deskF.token()).bodyAsJsonObject()
        .getString("outcome"));
  }

  private static JsonObject inQueue(JsonObject queue, String ticket) {
    return queue.getJsonArray("tickets").stream().map(JsonObject.class::cast)
        .filter(t -> ticket.equals(t.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(ticket + " not in " + queue.encode()));
  }
}
