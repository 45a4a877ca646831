package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Organisation A's people never read or change organisation B's staff, services, shifts or
 * premises, and a refused write changes nothing in the database; staff without the admin role
 * change nothing; B's own admin and a system administrator may. The class of answer of every route
 * for every kind of caller (401 without a token among them) is {@code RouteAuthorisationMatrixTest},
 * generated from the router; this one looks deeper at the directory's writes.
 */
class AuthorisationMatrixTest {
  record Call(HttpMethod method, String path, JsonObject body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static TestServer server;
  static Fixtures fx;
  static String orgA;
  static String adminA;
  static String staffA;
  static String adminB;
  static String orgB;
  static String pointB;
  static String serviceB;
  static List<Call> bThings;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    fx = new Fixtures(server);
    orgA = fx.organisation("Sollentuna kommun");
    orgB = fx.organisation("Försäkringskassan");
    adminA = fx.token(orgA, "admin", "staff");
    staffA = fx.token(orgA, "staff");
    adminB = fx.token(orgB, "admin");

    pointB = fx.servicePoint(adminB, "Försäkringskassans kontor", "office");
    String unitB = fx.servicePoint(adminB, "Mobil kundmottagning", "mobile");
    serviceB = created(server.post("/api/v1/services", adminB, new JsonObject().put("nameSv", "Föräldrapenning")
        .put("nameEn", "Parental benefit").put("ticketLetter", "F").put("durationMinutes", 20)
        .put("channels", new JsonArray().add("desk")))).getString("id");
    var staffB = created(server.post("/api/v1/staff", adminB, new JsonObject().put("email", "handlaggare@fk.example")
        .put("displayName", "Hanna Handläggare").put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("staff"))));
    String staffBId = staffB.getString("id");
    LocalDate day = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(5);
    var shift = new JsonObject().put("staffId", staffBId).put("servicePointId", pointB).put("channel", "desk")
        .put("start", day + "T09:00:00+01:00").put("end", day + "T12:00:00+01:00");
    String shiftB = created(server.post("/api/v1/shifts", adminB, shift)).getString("id");
    String counterB = created(server.post("/api/v1/service-points/" + pointB + "/counters", adminB,
        new JsonObject().put("name", "Disk 1"))).getString("id");
    var stop = new JsonObject().put("date", day.toString()).put("opens", "10:00").put("closes", "12:00").put("place", "Kista");
    String stopB = created(server.post("/api/v1/service-points/" + unitB + "/stops", adminB, stop)).getString("id");
    var person = new JsonObject().put("email", "x@fk.example").put("displayName", "X").put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("admin"));
    var service = new JsonObject().put("nameSv", "X").put("nameEn", "X").put("ticketLetter", "X").put("durationMinutes", 20)
        .put("channels", new JsonArray().add("desk"));
    var point = new JsonObject().put("name", "X").put("kind", "office");

    bThings = List.of(
        new Call(HttpMethod.GET, "/api/v1/staff?organisation=" + orgB, null),
        new Call(HttpMethod.GET, "/api/v1/staff/" + staffBId, null),
        new Call(HttpMethod.POST, "/api/v1/staff", person.copy().put("organisationId", orgB)),
        new Call(HttpMethod.PUT, "/api/v1/staff/" + staffBId, person),
        new Call(HttpMethod.PUT, "/api/v1/staff/" + staffBId + "/skills", new JsonObject().put("serviceIds", new JsonArray())),
        new Call(HttpMethod.DELETE, "/api/v1/staff/" + staffBId, null),
        new Call(HttpMethod.POST, "/api/v1/services", service.copy().put("organisationId", orgB)),
        new Call(HttpMethod.PUT, "/api/v1/services/" + serviceB, service),
        new Call(HttpMethod.DELETE, "/api/v1/services/" + serviceB, null),
        new Call(HttpMethod.GET, "/api/v1/shifts/" + shiftB, null),
        new Call(HttpMethod.POST, "/api/v1/shifts", shift.copy().put("start", day + "T13:00:00+01:00").put("end", day + "T15:00:00+01:00")),
        new Call(HttpMethod.POST, "/api/v1/shifts/batch", new JsonObject().put("shifts", new JsonArray().add(
            shift.copy().put("start", day + "T13:00:00+01:00").put("end", day + "T15:00:00+01:00")))),
        new Call(HttpMethod.PUT, "/api/v1/shifts/" + shiftB, shift),
        new Call(HttpMethod.DELETE, "/api/v1/shifts/" + shiftB, null),
        new Call(HttpMethod.PUT, "/api/v1/organisations/" + orgB, new JsonObject().put("name", "Renamed")),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + pointB, point),
        new Call(HttpMethod.DELETE, "/api/v1/service-points/" + pointB, null),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + pointB + "/organisations/" + orgB, null),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + pointB + "/services/" + serviceB, null),
        new Call(HttpMethod.POST, "/api/v1/service-points/" + pointB + "/counters", new JsonObject().put("name", "Disk 9")),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + pointB + "/counters/" + counterB, new JsonObject().put("name", "Disk 9")),
        new Call(HttpMethod.DELETE, "/api/v1/service-points/" + pointB + "/counters/" + counterB, null),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + pointB + "/opening-hours", new JsonObject().put("weeklyHours", new JsonArray())),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + pointB + "/opening-exceptions/" + day, new JsonObject().put("closed", true)),
        new Call(HttpMethod.POST, "/api/v1/service-points/" + unitB + "/stops", stop.copy().put("opens", "13:00").put("closes", "14:00")),
        new Call(HttpMethod.PUT, "/api/v1/service-points/" + unitB + "/stops/" + stopB, stop),
        new Call(HttpMethod.DELETE, "/api/v1/service-points/" + unitB + "/stops/" + stopB, null));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anotherOrganisationsAdminIsForbiddenAndNothingChanges() {
    var before = DbSnapshot.of(server.pool());
    for (Call call : bThings) {
      var response = server.call(call.method(), call.path(), adminA, call.body());
      assertEquals(403, response.statusCode(), () -> "admin of A: " + call + " → " + response.bodyAsString());
      assertProblem(response, 403);
    }
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  @Test
  void staffWithoutTheAdminRoleChangeNothing() {
    var before = DbSnapshot.of(server.pool());
    for (Call call : bThings) {
      var response = server.call(call.method(), call.path(), staffA, call.body());
      assertEquals(403, response.statusCode(), () -> "staff of A: " + call + " → " + response.bodyAsString());
    }
    assertProblem(server.get("/api/v1/staff", staffA), 403);
    assertProblem(server.post("/api/v1/service-points", staffA, new JsonObject().put("name", "X").put("kind", "office")), 403);
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  @Test
  void anAdminOfAnotherOrganisationSeesNoneOfItsStaff() {
    var own = server.get("/api/v1/staff", adminA).bodyAsJsonArray();
    assertFalse(own.isEmpty());
    own.forEach(s -> assertFalse(((JsonObject) s).getString("email").endsWith("@fk.example")));
    var shifts = server.get("/api/v1/shifts", adminA).bodyAsJsonArray();
    assertTrue(shifts.isEmpty(), "B's shifts are not listed for A");
  }

  @Test
  void theOwnAdminAndTheSystemAdministratorMayRead() {
    for (String token : List.of(adminB, fx.sysadmin())) {
      for (Call call : bThings) {
        if (call.method() == HttpMethod.GET) {
          assertEquals(200, server.call(call.method(), call.path(), token, null).statusCode(), call::toString);
        }
      }
    }
  }

  @Test
  void anAdminCannotGiveTheirStaffAnotherOrganisationsServiceAsASkill() {
    String memberOfA = server.get("/api/v1/auth/me", staffA).bodyAsJsonObject().getString("id");
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.put("/api/v1/staff/" + memberOfA + "/skills", adminA,
        new JsonObject().put("serviceIds", new JsonArray().add(serviceB))), "serviceIds");
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  @Test
  void theSystemAdministratorMayChangeAnyOrganisationsThings() {
    manageServiceStaffAndShifts(fx.sysadmin(), orgB, pointB);
  }

  @Test
  void anAdminMayChangeTheirOwnOrganisationsThings() {
    manageServiceStaffAndShifts(adminA, orgA, fx.servicePoint(adminA, "Sollentuna servicepunkt", "office"));
  }

  /** Every write route of services, staff, skills and shifts, used on one organisation's things by {@code token}. */
  private static void manageServiceStaffAndShifts(String token, String organisation, String point) {
    var service = new JsonObject().put("nameSv", "Bygglov").put("nameEn", "Building permits").put("ticketLetter", "B")
        .put("durationMinutes", 30).put("channels", new JsonArray().add("desk")).put("organisationId", organisation);
    String serviceId = expect(201, HttpMethod.POST, "/api/v1/services", token, service).getString("id");
    expect(200, HttpMethod.PUT, "/api/v1/services/" + serviceId, token, service.copy().put("durationMinutes", 45));

    var person = new JsonObject().put("email", "planerad-" + UUID.randomUUID() + "@matrix.example").put("displayName", "Per Plan")
        .put("password", "a-long-enough-password").put("roles", new JsonArray().add("staff")).put("organisationId", organisation);
    String staffId = expect(201, HttpMethod.POST, "/api/v1/staff", token, person).getString("id");
    expect(200, HttpMethod.PUT, "/api/v1/staff/" + staffId, token, person.copy().put("displayName", "Per Planerad"));
    expect(200, HttpMethod.PUT, "/api/v1/staff/" + staffId + "/skills", token,
        new JsonObject().put("serviceIds", new JsonArray().add(serviceId)));
    expect(200, HttpMethod.GET, "/api/v1/staff/" + staffId, token, null);

    LocalDate day = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(9);
    var shift = new JsonObject().put("staffId", staffId).put("servicePointId", point).put("channel", "desk")
        .put("start", day + "T08:00:00+01:00").put("end", day + "T10:00:00+01:00");
    String shiftId = expect(201, HttpMethod.POST, "/api/v1/shifts", token, shift).getString("id");
    var later = shift.copy().put("start", day + "T13:00:00+01:00").put("end", day + "T15:00:00+01:00");
    var batch = server.post("/api/v1/shifts/batch", token, new JsonObject().put("shifts", new JsonArray().add(later)));
    assertEquals(201, batch.statusCode(), batch::bodyAsString);
    expect(200, HttpMethod.PUT, "/api/v1/shifts/" + shiftId, token, shift.copy().put("end", day + "T11:00:00+01:00"));
    expect(200, HttpMethod.GET, "/api/v1/shifts/" + shiftId, token, null);
    assertEquals(2, server.get("/api/v1/shifts?staff=" + staffId + "&from=" + day + "&to=" + day, token)
        .bodyAsJsonArray().size());

    expect(204, HttpMethod.DELETE, "/api/v1/shifts/" + shiftId, token, null);
    expect(204, HttpMethod.DELETE, "/api/v1/shifts/" + batch.bodyAsJsonArray().getJsonObject(0).getString("id"), token, null);
    expect(204, HttpMethod.DELETE, "/api/v1/staff/" + staffId, token, null);
    expect(204, HttpMethod.DELETE, "/api/v1/services/" + serviceId, token, null);
  }

  private static JsonObject expect(int status, HttpMethod method, String path, String token, JsonObject body) {
    var response = server.call(method, path, token, body);
    assertEquals(status, response.statusCode(), () -> method + " " + path + " → " + response.bodyAsString());
    return status == 204 ? null : response.bodyAsJsonObject();
  }
}
