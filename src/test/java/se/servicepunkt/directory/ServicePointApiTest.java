package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

class ServicePointApiTest {
  static final String API = "/api/v1/service-points";
  static TestServer server;
  static Fixtures fx;
  static String region;
  static String regionAdmin;
  static String regionStaff;
  static String agency;
  static String agencyAdmin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    fx = new Fixtures(server);
    region = fx.organisation("Region Gotland");
    regionAdmin = fx.token(region, "admin", "staff");
    regionStaff = fx.token(region, "staff");
    agency = fx.organisation("Försäkringskassan");
    agencyAdmin = fx.token(agency, "admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject week() {
    var week = new JsonArray();
    for (int day = 1; day <= 5; day++) {
      week.add(new JsonObject().put("weekday", day).put("opens", "09:00").put("closes", day == 4 ? "19:00" : "16:00"));
    }
    return new JsonObject().put("weeklyHours", week);
  }

  @Test
  void hostAdminSetsUpAPointAndResidentsSeeItsOpeningDays() {
    var point = created(server.post(API, regionAdmin, new JsonObject()
        .put("name", "Hemse servicepunkt").put("kind", "office").put("street", "Storgatan 34")
        .put("postalCode", "623 31").put("city", "Hemse").put("description", "I kommunhuset")));
    String id = point.getString("id");
    assertEquals(region, point.getString("organisationId"));
    assertEquals("Europe/Stockholm", point.getString("timeZone"), "the default zone");

    assertEquals(200, server.put(API + "/" + id + "/opening-hours", regionAdmin, week()).statusCode());
    var exception = server.put(API + "/" + id + "/opening-exceptions/2026-12-24", regionAdmin,
        new JsonObject().put("closed", true).put("reason", "Julafton"));
    assertEquals(200, exception.statusCode(), exception.bodyAsString());
    assertEquals(201, server.post(API + "/" + id + "/counters", regionAdmin, new JsonObject().put("name", "Disk 1")).statusCode());

    var list = server.get(API).bodyAsJsonArray();
    assertTrue(list.stream().anyMatch(p -> id.equals(((JsonObject) p).getString("id"))));
    var detail = server.get(API + "/" + id + "?weeks=2").bodyAsJsonObject();
    assertEquals("Hemse servicepunkt", detail.getString("name"));
    assertEquals(14, detail.getJsonArray("openingDays").size());
    assertEquals(5, detail.getJsonArray("weeklyHours").size());
    assertEquals(new JsonArray().add(new JsonObject().put("id", region).put("name", "Region Gotland").put("host", true)
        .put("sharesStatistics", true)),
        detail.getJsonArray("organisations"));
    String today = LocalDate.now(ZoneId.of("Europe/Stockholm")).toString();
    assertEquals(today, detail.getJsonArray("openingDays").getJsonObject(0).getString("date"));

    var christmas = server.get(API + "/" + id + "?from=2026-12-21&weeks=1").bodyAsJsonObject()
        .getJsonArray("openingDays");
    assertEquals("2026-12-24", christmas.getJsonObject(3).getString("date"));
    assertFalse(christmas.getJsonObject(3).getBoolean("open"));
    assertEquals("Julafton", christmas.getJsonObject(3).getString("reason"));
    assertEquals("2026-12-23T09:00:00+01:00", christmas.getJsonObject(2).getJsonArray("intervals").getJsonObject(0).getString("start"));
  }

  @Test
  void openingDaysAroundTheNextDaylightSavingChangeCarryBothOffsets() {
    String id = fx.servicePoint(regionAdmin, "Visby servicecenter", "office");
    var everyDay = new JsonArray();
    for (int day = 1; day <= 7; day++) {
      everyDay.add(new JsonObject().put("weekday", day).put("opens", "09:00").put("closes", "16:00"));
    }
    server.put(API + "/" + id + "/opening-hours", regionAdmin, new JsonObject().put("weeklyHours", everyDay));
    ZoneId zone = ZoneId.of("Europe/Stockholm");
    var transition = zone.getRules().nextTransition(Instant.now());
    LocalDate change = transition.getDateTimeAfter().toLocalDate();
    var days = server.get(API + "/" + id + "?weeks=1&from=" + change.minusDays(1)).bodyAsJsonObject()
        .getJsonArray("openingDays");
    String before = transition.getOffsetBefore().getId();
    String after = transition.getOffsetAfter().getId();
    assertEquals(change.minusDays(1) + "T09:00:00" + before, start(days, 0));
    assertEquals(change + "T09:00:00" + after, start(days, 1));
    assertEquals(change.plusDays(1) + "T16:00:00" + after,
        days.getJsonObject(2).getJsonArray("intervals").getJsonObject(0).getString("end"));
  }

  private static String start(JsonArray days, int i) {
    return days.getJsonObject(i).getJsonArray("intervals").getJsonObject(0).getString("start");
  }

  @Test
  void aMobileUnitHasStopsThatMayNotOverlap() {
    String unit = fx.servicePoint(regionAdmin, "Service på hjul", "mobile");
    String office = fx.servicePoint(regionAdmin, "Slite servicepunkt", "office");
    LocalDate day = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(3);
    var stop = new JsonObject().put("date", day.toString()).put("opens", "10:00").put("closes", "12:00")
        .put("place", "Burgsvik").put("street", "Storvägen 1").put("city", "Burgsvik");
    var created = created(server.post(API + "/" + unit + "/stops", regionAdmin, stop));
    assertEquals("Burgsvik", created.getString("place"));

    var before = DbSnapshot.of(server.pool());
    assertProblem(server.post(API + "/" + unit + "/stops", regionAdmin, stop.copy().put("opens", "11:00").put("closes", "13:00")), 409);
    assertProblem(server.post(API + "/" + office + "/stops", regionAdmin, stop), 409);
    assertInvalidFields(server.post(API + "/" + unit + "/stops", regionAdmin,
        new JsonObject().put("date", "2026-02-30").put("opens", "25:00").put("closes", "09:00")), "date", "opens", "place");
    assertInvalidFields(server.post(API + "/" + unit + "/stops", regionAdmin,
        stop.copy().put("opens", "12:00").put("closes", "10:00")), "closes");
    assertProblem(server.post(API + "/" + unit + "/stops", agencyAdmin, stop.copy().put("opens", "14:00").put("closes", "15:00")), 403);
    assertEquals(before, DbSnapshot.of(server.pool()));

    var moved = server.put(API + "/" + unit + "/stops/" + created.getString("id"), regionAdmin,
        stop.copy().put("opens", "13:00").put("closes", "15:00").put("place", "Havdhem"));
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    var detail = server.get(API + "/" + unit + "?weeks=1").bodyAsJsonObject().getJsonArray("openingDays");
    var interval = detail.getJsonObject(3).getJsonArray("intervals").getJsonObject(0);
    assertEquals("Havdhem", interval.getString("place"));
    assertEquals("13:00", interval.getString("opens"));
    assertEquals(1, server.get(API + "/" + unit + "/stops").bodyAsJsonArray().size());
    assertEquals(204, server.delete(API + "/" + unit + "/stops/" + created.getString("id"), regionAdmin).statusCode());
    assertEquals(0, server.get(API + "/" + unit + "/stops").bodyAsJsonArray().size());
  }

  @Test
  void jointOperationLetsAMemberOrganisationOfferItsServices() {
    String point = fx.servicePoint(regionAdmin, "Medborgarkontor Sätra", "office");
    String agencyService = fx.service(agency, "Personligt besök", "F", "desk");
    String regionService = fx.service(region, "Regional information", "A", "desk", "video");
    String offerAgency = API + "/" + point + "/services/" + agencyService;

    assertProblem(server.put(offerAgency, agencyAdmin, null), 409);
    assertProblem(server.put(API + "/" + point + "/organisations/" + agency, agencyAdmin, null), 403);
    assertEquals(204, server.put(API + "/" + point + "/organisations/" + agency, regionAdmin, null).statusCode());
    assertEquals(204, server.put(API + "/" + point + "/organisations/" + agency, regionAdmin, null).statusCode(), "idempotent");
    assertProblem(server.put(offerAgency, regionAdmin, null), 403);
    assertProblem(server.put(offerAgency, fx.token(agency, "staff"), null), 403);
    assertProblem(server.put(offerAgency, null, null), 401);
    assertEquals(204, server.put(offerAgency, agencyAdmin, null).statusCode());
    assertEquals(204, server.put(API + "/" + point + "/services/" + regionService, fx.sysadmin(), null).statusCode());
    assertEquals(204, server.put(API + "/" + point + "/services/" + regionService, regionAdmin, null).statusCode(), "idempotent");

    var detail = server.get(API + "/" + point).bodyAsJsonObject();
    assertEquals(2, detail.getJsonArray("organisations").size());
    assertEquals(2, detail.getJsonArray("services").size());
    assertEquals(2, server.get(API + "/" + point + "/services").bodyAsJsonArray().size());
    // the staff console lists the points where an organisation serves: those it hosts and those it joins
    assertTrue(ids(server.get(API + "?serving=" + agency)).contains(point), "a member serves there");
    assertFalse(ids(server.get(API + "?organisation=" + agency)).contains(point), "but does not host it");
    assertTrue(ids(server.get(API + "?serving=" + region)).contains(point), "the host serves there");

    assertProblem(server.delete(API + "/" + point + "/organisations/" + agency, regionAdmin), 409);
    assertProblem(server.delete(API + "/" + point + "/organisations/" + region, regionAdmin), 409);
    assertEquals(204, server.delete(offerAgency, agencyAdmin).statusCode());
    assertEquals(204, server.delete(API + "/" + point + "/organisations/" + agency, regionAdmin).statusCode());
    assertEquals(1, server.get(API + "/" + point + "/organisations").bodyAsJsonArray().size());
    assertFalse(ids(server.get(API + "?serving=" + agency)).contains(point), "no longer once it has left");
  }

  private static java.util.List<String> ids(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonArray().stream().map(p -> ((JsonObject) p).getString("id")).toList();
  }

  @Test
  void onlyTheHostsAdminsAndSystemAdministratorsChangeAPoint() {
    String point = fx.servicePoint(regionAdmin, "Roma servicepunkt", "office");
    var body = new JsonObject().put("name", "Roma kloster").put("kind", "office");
    var before = DbSnapshot.of(server.pool());
    assertProblem(server.put(API + "/" + point, agencyAdmin, body), 403);
    assertProblem(server.put(API + "/" + point, regionStaff, body), 403);
    assertProblem(server.put(API + "/" + point, null, body), 401);
    assertProblem(server.post(API, regionStaff, body), 403);
    assertProblem(server.put(API + "/" + point + "/opening-hours", agencyAdmin, week()), 403);
    assertProblem(server.post(API + "/" + point + "/counters", agencyAdmin, new JsonObject().put("name", "Disk 9")), 403);
    assertProblem(server.put(API + "/" + point + "/opening-exceptions/2026-12-31", agencyAdmin,
        new JsonObject().put("closed", true)), 403);
    assertProblem(server.delete(API + "/" + point, agencyAdmin), 403);
    assertInvalidFields(server.post(API, fx.sysadmin(), body), "organisationId");
    assertInvalidFields(server.post(API, fx.sysadmin(), new JsonObject().put("kind", "office")), "name", "organisationId");
    assertEquals(before, DbSnapshot.of(server.pool()));

    var renamed = server.put(API + "/" + point, fx.sysadmin(), body);
    assertEquals(200, renamed.statusCode());
    assertEquals("Roma kloster", renamed.bodyAsJsonObject().getString("name"));
    assertEquals(region, renamed.bodyAsJsonObject().getString("organisationId"), "the host is kept");
    assertEquals(201, server.post(API, fx.sysadmin(), body.copy().put("organisationId", agency)).statusCode());
    assertEquals(204, server.delete(API + "/" + point, regionAdmin).statusCode());
    assertProblem(server.get(API + "/" + point), 404);
  }

  @Test
  void aPointWithPlannedShiftsIsNotDeleted() {
    String point = fx.servicePoint(regionAdmin, "Burgsvik servicepunkt", "office");
    server.put(API + "/" + point + "/opening-hours", regionAdmin, week());
    var staff = server.sql("SELECT id FROM staff WHERE organisation_id = $1 LIMIT 1", java.util.UUID.fromString(region))
        .iterator().next().getUUID(0);
    var shift = server.sql("""
        INSERT INTO shift (staff_id, service_point_id, channel, period)
        VALUES ($1, $2, 'desk', tstzrange(now() + interval '1 day', now() + interval '1 day 4 hours')) RETURNING id""",
        staff, java.util.UUID.fromString(point)).iterator().next().getUUID(0);
    var before = DbSnapshot.of(server.pool());
    var refused = assertProblem(server.delete(API + "/" + point, regionAdmin), 409);
    assertTrue(refused.getString("detail").contains("shifts"), refused.encode());
    assertEquals(before, DbSnapshot.of(server.pool()));

    server.sql("DELETE FROM shift WHERE id = $1", shift);
    assertEquals(204, server.delete(API + "/" + point, regionAdmin).statusCode(), "its own hours go with it");
    assertProblem(server.get(API + "/" + point + "/opening-hours"), 404);
  }

  @Test
  void countersAreNamedUniquelyPerPoint() {
    String point = fx.servicePoint(regionAdmin, "Klintehamn servicepunkt", "office");
    var counter = created(server.post(API + "/" + point + "/counters", regionAdmin,
        new JsonObject().put("name", "Videorum 1").put("channel", "video")));
    assertEquals("video", counter.getString("channel"));
    var before = DbSnapshot.of(server.pool());
    assertProblem(server.post(API + "/" + point + "/counters", regionAdmin, new JsonObject().put("name", "videorum 1")), 409);
    assertInvalidFields(server.post(API + "/" + point + "/counters", regionAdmin,
        new JsonObject().put("name", "").put("channel", "phone")), "name", "channel");
    assertProblem(server.put(API + "/" + point + "/counters/" + java.util.UUID.randomUUID(), regionAdmin,
        new JsonObject().put("name", "Disk 2")), 404);
    assertEquals(before, DbSnapshot.of(server.pool()));
    var renamed = server.put(API + "/" + point + "/counters/" + counter.getString("id"), regionAdmin,
        new JsonObject().put("name", "Disk 2"));
    assertEquals("desk", renamed.bodyAsJsonObject().getString("channel"));
    assertEquals(1, server.get(API + "/" + point + "/counters").bodyAsJsonArray().size());
    assertEquals(204, server.delete(API + "/" + point + "/counters/" + counter.getString("id"), regionAdmin).statusCode());
  }

  @Test
  void badInputChangesNothing() {
    String point = fx.servicePoint(regionAdmin, "Ljugarn servicepunkt", "office");
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post(API, regionAdmin, new JsonObject()), "name", "kind");
    assertInvalidFields(server.post(API, regionAdmin, new JsonObject().put("name", "X").put("kind", "bus")
        .put("timeZone", "Mars/Olympus").put("postalCode", "ABC").put("description", "x".repeat(2001))),
        "kind", "timeZone", "postalCode", "description");
    assertInvalidFields(server.post(API, regionAdmin, new JsonObject().put("name", "X").put("kind", "office")
        .put("timeZone", "CET")), "timeZone");
    assertInvalidFields(server.put(API + "/" + point + "/opening-hours", regionAdmin, new JsonObject().put("weeklyHours",
        new JsonArray().add(new JsonObject().put("weekday", 8).put("opens", "9").put("closes", "16:00"))
            .add(new JsonObject().put("weekday", 1).put("opens", "10:00").put("closes", "09:00"))
            .add("monday"))),
        "weeklyHours[0].weekday", "weeklyHours[0].opens", "weeklyHours[1].closes", "weeklyHours[2]");
    assertInvalidFields(server.put(API + "/" + point + "/opening-hours", regionAdmin, new JsonObject().put("weeklyHours",
        new JsonArray().add(new JsonObject().put("weekday", 1).put("opens", "09:00").put("closes", "12:00"))
            .add(new JsonObject().put("weekday", 1).put("opens", "11:00").put("closes", "16:00")))),
        "weeklyHours[1]");
    assertInvalidFields(server.put(API + "/" + point + "/opening-hours", regionAdmin, new JsonObject()), "weeklyHours");
    assertInvalidFields(server.put(API + "/" + point + "/opening-exceptions/2026-12-31", regionAdmin,
        new JsonObject().put("closed", true).put("opens", "10:00")), "opens");
    assertInvalidFields(server.put(API + "/" + point + "/opening-exceptions/2026-12-31", regionAdmin,
        new JsonObject().put("closed", false)), "opens", "closes");
    assertInvalidFields(server.put(API + "/" + point + "/opening-exceptions/2026-12-31", regionAdmin,
        new JsonObject()), "closed");
    assertProblem(server.put(API + "/" + point + "/opening-exceptions/2026-13-01", regionAdmin,
        new JsonObject().put("closed", true)), 404);
    assertProblem(server.delete(API + "/" + point + "/opening-exceptions/2026-12-30", regionAdmin), 404);
    assertInvalidFields(server.get(API + "/" + point + "?weeks=13"), "weeks");
    assertInvalidFields(server.get(API + "/" + point + "?from=1999-01-01"), "from");
    assertInvalidFields(server.get(API + "/" + point + "/opening-exceptions?from=2026-01-01&to=2028-01-01"), "to");
    assertInvalidFields(server.get(API + "?organisation=nope"), "organisation");
    assertInvalidFields(server.get(API + "?serving=nope"), "serving");
    assertProblem(server.get(API + "/" + java.util.UUID.randomUUID()), 404);
    assertProblem(server.get(API + "/not-a-uuid/counters"), 404);
    assertProblem(server.put(API + "/" + point + "/services/" + java.util.UUID.randomUUID(), regionAdmin, null), 404);
    assertProblem(server.put(API + "/" + point + "/organisations/" + java.util.UUID.randomUUID(), regionAdmin, null), 404);
    assertProblem(server.put(API + "/" + point + "/services/" + java.util.UUID.randomUUID(), regionStaff, null), 404);
    assertInvalidFields(server.put(API + "/" + point + "/opening-exceptions/2026-12-31", regionAdmin,
        new JsonObject().put("closed", true).put("reason", "x".repeat(201))), "reason");
    assertProblem(server.put(API + "/" + point + "/opening-hours", null, week()), 401);
    assertProblem(server.put(API + "/" + point + "/opening-hours", regionStaff, week()), 403);
    assertEquals(before, DbSnapshot.of(server.pool()));

    var exception = server.put(API + "/" + point + "/opening-exceptions/2026-12-31", regionAdmin,
        new JsonObject().put("closed", false).put("opens", "10:00").put("closes", "14:00"));
    assertEquals(200, exception.statusCode());
    assertNull(exception.bodyAsJsonObject().getString("reason"));
    var listed = server.get(API + "/" + point + "/opening-exceptions?from=2026-12-01&to=2027-01-31").bodyAsJsonArray();
    assertEquals(1, listed.size());
    assertEquals("14:00", listed.getJsonObject(0).getString("closes"));
    assertEquals(204, server.delete(API + "/" + point + "/opening-exceptions/2026-12-31", regionAdmin).statusCode());
  }
}
