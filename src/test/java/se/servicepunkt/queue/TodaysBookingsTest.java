package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Today's bookings at a point as the counter console lists them, and staff checking a visitor in
 * at the desk: in a joint operation each organisation's staff see the names and references of
 * their own organisation's bookings only, and may check in only those; the check-in is audited,
 * becomes a ticket in the queue, and shows in the list.
 */
class TodaysBookingsTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate DAY = LocalDate.of(2026, 12, 3);
  static final TestClock CLOCK = new TestClock(at(DAY, "08:00"));
  static TestServer server;
  static Fixtures fx;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("checkInEarlyMinutes", 60, "checkInLateMinutes", 15), CLOCK);
    fx = new Fixtures(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Instant at(LocalDate day, String time) {
    return ZonedDateTime.of(day, LocalTime.parse(time), STOCKHOLM).toInstant();
  }

  JsonObject book(Lobby lobby, String service, LocalDate day, String time, String name) {
    return created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", lobby.point)
        .put("serviceId", service).put("channel", "desk")
        .put("start", at(day, time).atOffset(ZoneOffset.UTC).toString())
        .put("name", name).put("email", "besok-" + UUID.randomUUID() + "@example.se").put("language", "sv")
        .put("consent", true)));
  }

  void shift(Lobby lobby, String admin, Lobby.Staff staff, LocalDate day) {
    var shift = new JsonObject().put("staffId", staff.id()).put("servicePointId", lobby.point).put("channel", "desk")
        .put("start", at(day, "07:00").atOffset(ZoneOffset.UTC).toString())
        .put("end", at(day, "20:00").atOffset(ZoneOffset.UTC).toString());
    var planned = server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", new JsonArray().add(shift)));
    assertEquals(201, planned.statusCode(), planned.bodyAsString());
  }

  /** The audit log's row of a staff check-in that ended with {@code status} (written just after the answer went out). */
  io.vertx.sqlclient.Row audited(int status) {
    for (int i = 0; i < 100; i++) {
      var rows = server.sql("SELECT staff_id, action, target, status FROM audit_event WHERE action = $1 AND status = $2",
          "POST /api/v1/bookings/:reference/check-in", status);
      if (rows.size() > 0) {
        return rows.iterator().next();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no audit row with status " + status);
  }

  JsonArray list(Lobby lobby, String token) {
    var answer = server.get("/api/v1/service-points/" + lobby.point + "/todays-bookings", token);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(DAY.toString(), answer.bodyAsJsonObject().getString("date"));
    return answer.bodyAsJsonObject().getJsonArray("bookings");
  }

  @Test
  void eachOrganisationSeesItsOwnBookersAndChecksInOnlyThemAtTheDesk() {
    CLOCK.set(at(DAY, "08:00"));
    String host = fx.organisation("Huddinge kommun");
    String hostAdmin = fx.token(host, "admin", "staff");
    String partner = fx.organisation("Försäkringskassan Huddinge");
    String partnerAdmin = fx.token(partner, "admin", "staff");
    String general = Lobby.service(server, hostAdmin, "Allmänna frågor", "A", "desk");
    String visits = Lobby.service(server, partnerAdmin, "Personligt besök", "F", "desk");
    var lobby = new Lobby(server, fx, host, hostAdmin, "Medborgarkontor Huddinge", general);
    assertEquals(204, server.put("/api/v1/service-points/" + lobby.point + "/organisations/" + partner, hostAdmin, null)
        .statusCode());
    var offered = server.put("/api/v1/service-points/" + lobby.point + "/services/" + visits, partnerAdmin, null);
    assertEquals(204, offered.statusCode(), offered.bodyAsString());
    var hostStaff = lobby.staff(general);
    String partnerEmail = "partner-" + UUID.randomUUID() + "@fk.example";
    fx.account(partner, partnerEmail, "staff");
    String partnerId = server.sql("SELECT id FROM staff WHERE email = $1", partnerEmail).iterator().next().getUUID(0).toString();
    var skills = server.put("/api/v1/staff/" + partnerId + "/skills", partnerAdmin,
        new JsonObject().put("serviceIds", new JsonArray().add(visits)));
    assertTrue(skills.statusCode() == 200 || skills.statusCode() == 204, skills.bodyAsString());
    var partnerStaff = new Lobby.Staff(partnerId, server.signIn(partnerEmail, TestServer.PASSWORD));
    shift(lobby, hostAdmin, hostStaff, DAY);
    shift(lobby, hostAdmin, hostStaff, DAY.plusDays(1));
    shift(lobby, partnerAdmin, partnerStaff, DAY);

    var anna = book(lobby, general, DAY, "10:00", "Anna Andersson");
    var bo = book(lobby, visits, DAY, "09:40", "Bo Berg");
    var cancelled = book(lobby, general, DAY, "11:00", "Cecilia Ek");
    assertEquals(200, server.delete("/api/v1/bookings/" + cancelled.getString("reference"), hostStaff.token()).statusCode());
    book(lobby, general, DAY.plusDays(1), "10:00", "Dan Dahl");

    CLOCK.set(at(DAY, "09:20"));
    // the host's staff: both bookings of the day, by time; only their own with name and reference
    var seenByHost = list(lobby, hostStaff.token());
    assertEquals(2, seenByHost.size(), seenByHost.encodePrettily());
    var first = seenByHost.getJsonObject(0);
    var second = seenByHost.getJsonObject(1);
    assertEquals("Personligt besök", first.getJsonObject("service").getString("nameSv"));
    assertFalse(first.getBoolean("ownOrganisation"));
    assertNull(first.getValue("name"), "another organisation's booker is not shown");
    assertNull(first.getValue("reference"));
    assertTrue(second.getBoolean("ownOrganisation"));
    assertEquals("Anna Andersson", second.getString("name"));
    assertEquals(anna.getString("reference"), second.getString("reference"));
    assertEquals("2026-12-03T10:00:00+01:00", second.getString("start"));
    assertEquals("2026-12-03T09:00:00+01:00", second.getString("checkInFrom"));
    assertNull(second.getValue("ticket"), "not checked in yet");
    // the partner's staff: the other way round
    var seenByPartner = list(lobby, partnerStaff.token());
    assertEquals("Bo Berg", seenByPartner.getJsonObject(0).getString("name"));
    assertNull(seenByPartner.getJsonObject(1).getValue("name"));

    // nobody else sees the day
    assertProblem(server.get("/api/v1/service-points/" + lobby.point + "/todays-bookings",
        fx.token(fx.organisation("Botkyrka kommun"), "staff")), 403);
    assertProblem(server.get("/api/v1/service-points/" + lobby.point + "/todays-bookings"), 401);
    assertProblem(server.get("/api/v1/service-points/" + UUID.randomUUID() + "/todays-bookings", hostStaff.token()), 404);

    // the partner's staff cannot check the host's booker in: as if the booking did not exist, nothing changes
    var before = DbSnapshot.of(server.pool());
    assertProblem(server.post("/api/v1/bookings/" + anna.getString("reference") + "/check-in", partnerStaff.token(), null), 404);
    assertEquals(before, DbSnapshot.of(server.pool()));

    // the host's staff check Anna in at the desk: a ticket in the queue, in the list, and in the audit log
    var checkedIn = server.post("/api/v1/bookings/" + anna.getString("reference") + "/check-in", hostStaff.token(), null);
    assertEquals(201, checkedIn.statusCode(), checkedIn.bodyAsString());
    var ticket = checkedIn.bodyAsJsonObject();
    assertTrue(ticket.getBoolean("booked"));
    var listed = list(lobby, hostStaff.token()).getJsonObject(1).getJsonObject("ticket");
    assertEquals(ticket.getString("id"), listed.getString("id"));
    assertEquals(ticket.getString("number"), listed.getString("number"));
    assertEquals("waiting", listed.getString("status"));
    var audit = audited(201);
    assertEquals(hostStaff.id(), audit.getUUID("staff_id").toString());
    assertEquals(anna.getString("reference"), audit.getJsonObject("target").getString("reference"));
    var refused = audited(404);
    assertEquals(partnerStaff.id(), refused.getUUID("staff_id").toString(), "the refusal is recorded too");
    // the staff stream's event says it is a check-in (the console refreshes its list on it), and no more
    var event = server.sql("SELECT data FROM queue_event WHERE service_point_id = $1 AND type = 'ticket-created'",
        UUID.fromString(lobby.point)).iterator().next().getJsonObject(0).getJsonObject("ticket");
    assertTrue(event.getBoolean("checkedIn"));
    assertFalse(event.encode().contains(anna.getString("reference")));
    assertFalse(event.encode().contains("Anna"));
    // checking in twice is refused
    assertProblem(server.post("/api/v1/bookings/" + anna.getString("reference") + "/check-in", hostStaff.token(), null), 409);
  }
}
