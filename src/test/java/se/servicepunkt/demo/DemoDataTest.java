package se.servicepunkt.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.TestServer;

class DemoDataTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("demo", true));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void residentsSeeTheFiveDemoServicePointsWithServicesAndHours() {
    var points = server.get("/api/v1/service-points").bodyAsJsonArray();
    Set<String> names = points.stream().map(p -> ((JsonObject) p).getString("name")).collect(Collectors.toSet());
    assertEquals(Set.of("Hemse servicepunkt", "Medborgarkontor Sätra", "Kontaktcenter Västerås – video", "Service på hjul",
        DemoData.LOBBY_NAME), names);
    for (Object p : points) {
      var detail = server.get("/api/v1/service-points/" + ((JsonObject) p).getString("id") + "?weeks=4").bodyAsJsonObject();
      assertTrue(detail.getJsonArray("services").size() >= 2, detail.getString("name") + " offers services");
      assertTrue(detail.getJsonArray("openingDays").stream().anyMatch(d -> ((JsonObject) d).getBoolean("open")),
          detail.getString("name") + " is open some day in the coming four weeks");
    }
    var satra = detail("Medborgarkontor Sätra", points);
    assertEquals(2, satra.getJsonArray("organisations").size(), "joint operation with Försäkringskassan");
    var centre = detail("Kontaktcenter Västerås – video", points);
    centre.getJsonArray("services").forEach(s -> assertEquals("[\"video\"]",
        ((JsonObject) s).getJsonArray("channels").encode(), "the contact centre meets residents by video only"));
    var hemse = detail("Hemse servicepunkt", points);
    assertTrue(hemse.getJsonArray("weeklyHours").stream().anyMatch(h -> "19:00".equals(((JsonObject) h).getString("closes"))),
        "one evening opening");
  }

  @Test
  void everyOfficeHasClosedHolidaysAndTheMobileUnitHasStops() {
    var holidays = server.sql("SELECT count(DISTINCT day) FROM opening_exception WHERE closed AND reason = 'Julafton'");
    assertEquals(1L, holidays.iterator().next().getLong(0));
    var stops = server.sql("SELECT count(*), count(DISTINCT place) FROM mobile_stop");
    assertTrue(stops.iterator().next().getLong(0) >= 8);
    assertEquals(5L, stops.iterator().next().getLong(1));
  }

  @Test
  void staffHaveSkillsAndShiftsForTheComingFourWeeks() {
    var rows = server.sql("""
        SELECT count(DISTINCT h.staff_id), min(lower(h.period)), max(upper(h.period))
        FROM shift h JOIN staff_skill k ON k.staff_id = h.staff_id""");
    var row = rows.iterator().next();
    assertTrue(row.getLong(0) >= 8, "staff with skills work shifts");
    assertTrue(row.getOffsetDateTime(2).toLocalDate().isAfter(LocalDate.now().plusDays(20)), "shifts reach weeks ahead");
    var video = server.sql("SELECT count(*) FROM shift WHERE channel = 'video'").iterator().next().getLong(0);
    assertTrue(video > 0, "video shifts");
  }

  @Test
  void theDemoAdministratorsSignInAndSeeTheirStaff() {
    String token = server.signIn("admin@gotland.example", DemoData.PASSWORD);
    var staff = server.get("/api/v1/staff", token).bodyAsJsonArray();
    assertTrue(staff.size() >= 3);
    staff.forEach(s -> assertTrue(((JsonObject) s).getString("email").endsWith("@gotland.example")));
    server.signIn("admin@servicepunkt.example", DemoData.PASSWORD);
    assertTrue(DemoData.signInsText().contains("admin@gotland.example"));
  }

  /** Issue 14: a few months of history at the offices, so the statistics pages show real-looking charts at once. */
  @Test
  void theOfficesHaveMonthsOfStatistics_andTheManagerSeesThem() {
    String token = server.signIn("chef@stockholm.example", DemoData.PASSWORD);
    LocalDate today = LocalDate.now(DemoData.ZONE);
    var answer = server.get("/api/v1/stats?groupBy=month&from=" + today.minusDays(DemoHistory.DAYS) + "&to=" + today,
        token);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    var months = answer.bodyAsJsonObject().getJsonArray("rows");
    assertTrue(months.size() >= 3, months.encode());
    for (int i = 1; i < months.size() - 1; i++) { // the whole months between the first and the last
      var row = months.getJsonObject(i);
      assertTrue(row.getLong("visits") > 100, row.encode());
      assertTrue(row.getInteger("waitMedianMinutes") != null && row.getLong("shiftMinutes") > 0, row.encode());
      assertTrue(row.getDouble("utilisation") < 1, row.encode());
    }
    // Stockholm's manager sees the city's services only; Sätra's lobby (the city hosts it) has Försäkringskassan's too.
    String satra = server.sql("SELECT id FROM service_point WHERE name = 'Medborgarkontor Sätra'").iterator().next()
        .getUUID(0).toString();
    String range = "&from=" + today.minusDays(DemoHistory.DAYS) + "&to=" + today + "&servicePoint=" + satra;
    long own = server.get("/api/v1/stats?scope=organisation" + range, token).bodyAsJsonObject().getJsonArray("rows")
        .getJsonObject(0).getLong("visits");
    long lobby = server.get("/api/v1/stats?scope=lobby" + range, token).bodyAsJsonObject().getJsonArray("rows")
        .getJsonObject(0).getLong("visits");
    assertTrue(lobby > own && own > 0, own + " of " + lobby);
  }

  @Test
  void theDemoScreenOfHemseFollowsItsQueue() {
    String hemse = server.sql("SELECT id FROM service_point WHERE name = 'Hemse servicepunkt'").iterator().next()
        .getUUID(0).toString();
    try (var screen = server.stream("/api/v1/service-points/" + hemse + "/display/events?token="
        + DemoData.DISPLAY_TOKENS.get("Hemse servicepunkt"))) {
      assertEquals(200, screen.status());
      var snapshot = screen.next("snapshot").json();
      assertEquals("Hemse servicepunkt", snapshot.getJsonObject("servicePoint").getString("name"));
      assertEquals(2, snapshot.getJsonArray("services").size());
    }
  }

  /**
   * Issue 12, item 5: the demo lobby is open around the clock, so that a newcomer can take a ticket,
   * call it as the demo staff member and see it on the lobby's screen at any hour.
   */
  @Test
  void theDemoLobbyTakesAndCallsTicketsAtAnyHourOnItsScreen() {
    String lobby = DemoData.LOBBY_ID.toString();
    var detail = server.get("/api/v1/service-points/" + lobby).bodyAsJsonObject();
    assertEquals(7, detail.getJsonArray("weeklyHours").size(), "open every day");
    String service = detail.getJsonArray("services").getJsonObject(0).getString("id");
    String counter = server.sql("SELECT id FROM counter WHERE service_point_id = $1 AND name = 'Lucka 1'",
        DemoData.LOBBY_ID).iterator().next().getUUID(0).toString();
    String staff = server.signIn("demo@gotland.example", DemoData.PASSWORD);
    try (var screen = server.stream("/api/v1/service-points/" + lobby + "/display/events?token="
        + DemoData.LOBBY_DISPLAY_TOKEN)) {
      assertEquals(200, screen.status());
      assertEquals(DemoData.LOBBY_NAME, screen.next("snapshot").json().getJsonObject("servicePoint").getString("name"));
      var ticket = server.post("/api/v1/service-points/" + lobby + "/tickets", null, new JsonObject()
          .put("serviceId", service).put("channel", "desk").put("language", "sv"));
      assertEquals(201, ticket.statusCode(), ticket.bodyAsString());
      assertEquals(200, server.post("/api/v1/counters/" + counter + "/session", staff,
          new JsonObject().put("channels", new io.vertx.core.json.JsonArray().add("desk"))).statusCode());
      var called = server.post("/api/v1/counters/" + counter + "/call-next", staff, null);
      assertEquals(200, called.statusCode(), called.bodyAsString());
      assertEquals("Lucka 1", screen.next("ticket-called").json().getJsonObject("ticket").getString("counterName"));
    }
    assertTrue(DemoData.screenText("http://localhost:8080").contains("http://localhost:8080/screen/" + lobby));
    assertTrue(DemoData.consoleText("http://localhost:8080").contains("http://localhost:8080/staff "));
  }

  @Test
  void demoVideoLinksOpenAStandInPage() {
    var page = server.get("/video/sp-0123456789abcdef0123456789abcdef");
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("demo"));
    assertEquals(404, server.get("/video/not-a-room").statusCode());
  }

  @Test
  void seedingAgainChangesNothing() {
    var before = DbSnapshot.of(server.pool());
    try (var second = server.another(Map.of("demo", true))) {
      assertEquals(200, second.get("/health/ready").statusCode());
    }
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  @Test
  void holidaysFollowTheSwedishCalendar() {
    assertEquals(LocalDate.of(2027, 3, 28), SwedishHolidays.easterSunday(2027));
    assertEquals(LocalDate.of(2026, 4, 5), SwedishHolidays.easterSunday(2026));
    var y2027 = SwedishHolidays.of(2027);
    assertEquals("Långfredagen", y2027.get(LocalDate.of(2027, 3, 26)));
    assertEquals("Midsommarafton", y2027.get(LocalDate.of(2027, 6, 25)));
    assertEquals("Kristi himmelsfärdsdag", y2027.get(LocalDate.of(2027, 5, 6)));
  }

  private static JsonObject detail(String name, io.vertx.core.json.JsonArray points) {
    var id = points.stream().map(p -> (JsonObject) p).filter(p -> name.equals(p.getString("name"))).findFirst()
        .orElseThrow().getString("id");
    return server.get("/api/v1/service-points/" + id + "?weeks=4").bodyAsJsonObject();
  }
}
