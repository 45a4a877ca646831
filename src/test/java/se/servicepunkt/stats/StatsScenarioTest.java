package se.servicepunkt.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Three days at one service point, through the API, with a moving clock: Friday (bookings made,
 * searches, a lost time, a ticket refused after closing), Saturday (check-in, walk-ins, calls, a
 * no-show, a visitor who leaves, one left at closing, cancellations), and the night clocks go
 * forward (Sunday 28 March 2027: 02:00 becomes 03:00) with a wait across the missing hour and a
 * shift that is three hours long though it runs from 01:00 to 05:00. Every figure is worked out
 * by hand below and compared exactly; then the personal data is removed and the tickets deleted,
 * and the figures stay the same.
 */
class StatsScenarioTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final TestClock CLOCK = new TestClock(at("2027-03-26T10:00"));
  static TestServer server;
  static String point;
  static String s1;
  static String s2;
  static String admin;
  static String manager;
  static String staffToken;
  static String counter;
  static Map<String, JsonObject> days = new HashMap<>();
  static Map<Integer, JsonObject> sundayHours = new HashMap<>();
  static String csv;

  static java.time.Instant at(String local) {
    return LocalDateTime.parse(local).atZone(STOCKHOLM).toInstant();
  }

  static String offset(String local) {
    return LocalDateTime.parse(local).atZone(STOCKHOLM).toOffsetDateTime().toString();
  }

  static void now(String local) {
    CLOCK.set(at(local));
  }

  @BeforeAll
  static void scenario() {
    server = TestServer.start(Map.of(), CLOCK);
    var fx = new Fixtures(server);
    String org = fx.organisation("Kommunen");
    admin = fx.token(org, "admin");
    manager = fx.token(org, "staff", "manager");
    point = fx.servicePoint(admin, "Medborgarkontoret", "office");
    fx.openEveryDay(admin, point, "00:00", "22:00");
    s1 = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Bygglov").put("nameEn", "Permits")
        .put("ticketLetter", "A").put("durationMinutes", 20).put("channels", new JsonArray().add("desk"))
        .put("minNoticeMinutes", 0).put("waitTargetMinutes", 10))).getString("id");
    s2 = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Äldreomsorg").put("nameEn", "Elderly care")
        .put("ticketLetter", "B").put("durationMinutes", 20).put("channels", new JsonArray().add("desk"))
        .put("minNoticeMinutes", 0))).getString("id");
    for (String s : List.of(s1, s2)) {
      assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + s, admin, null).statusCode());
    }
    String person = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "p1@kommunen.example")
        .put("displayName", "P1").put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("staff")))).getString("id");
    server.put("/api/v1/staff/" + person + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(s1).add(s2)));
    var shifts = new JsonArray()
        .add(new JsonObject().put("staffId", person).put("servicePointId", point).put("channel", "desk")
            .put("start", offset("2027-03-27T09:00")).put("end", offset("2027-03-27T12:00")))
        .add(new JsonObject().put("staffId", person).put("servicePointId", point).put("channel", "desk")
            .put("start", offset("2027-03-28T01:00")).put("end", offset("2027-03-28T05:00")));
    assertEquals(201, server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", shifts)).statusCode());
    staffToken = server.signIn("p1@kommunen.example", "a-long-enough-password");
    counter = created(server.post("/api/v1/service-points/" + point + "/counters", admin,
        new JsonObject().put("name", "Lucka 1").put("channel", "desk"))).getString("id");

    // Friday 10:00: two searches (today: nothing; tomorrow: times), four bookings, one lost time.
    now("2027-03-26T10:00");
    assertEquals(0, slots(s1, "2027-03-26"));
    assertEquals(true, slots(s1, "2027-03-27") > 0);
    JsonObject b1 = book(s1, "2027-03-27T09:00");
    JsonObject b2 = book(s1, "2027-03-27T09:20");
    JsonObject b3 = book(s1, "2027-03-27T09:40");
    JsonObject b4 = book(s2, "2027-03-27T10:00");
    assertEquals(409, bookAnswer(s1, "2027-03-27T09:00").statusCode());
    // Friday 11:00: the resident cancels B2 and moves B3 into the night of the clock change; staff cancel B4.
    now("2027-03-26T11:00");
    assertEquals(200, server.client().delete("/api/v1/bookings/" + b2.getString("reference"))
        .putHeader("X-Manage-Token", b2.getString("manageToken")).send().await().statusCode());
    var moved = server.client().post("/api/v1/bookings/" + b3.getString("reference") + "/reschedule")
        .putHeader("X-Manage-Token", b3.getString("manageToken"))
        .sendJsonObject(new JsonObject().put("start", offset("2027-03-28T01:00"))).await();
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    assertEquals(200, server.delete("/api/v1/bookings/" + b4.getString("reference"), admin).statusCode());
    // Friday 22:30: closed; a ticket is refused.
    now("2027-03-26T22:30");
    assertEquals(409, server.post("/api/v1/service-points/" + point + "/tickets", null,
        new JsonObject().put("serviceId", s1).put("channel", "desk").put("language", "sv")).statusCode());

    // Saturday.
    now("2027-03-27T08:55");
    var checkIn = server.post("/api/v1/bookings/" + b1.getString("reference") + "/check-in?token="
        + b1.getString("manageToken"), null, null);
    assertEquals(201, checkIn.statusCode(), checkIn.bodyAsString());
    String t1 = checkIn.bodyAsJsonObject().getString("id");
    now("2027-03-27T08:56");
    String w1 = walkIn(s1).getString("id");
    now("2027-03-27T08:57");
    String w2 = walkIn(s2).getString("id");
    now("2027-03-27T09:00");
    assertEquals(200, server.post("/api/v1/counters/" + counter + "/session", staffToken,
        new JsonObject().put("channels", new JsonArray().add("desk"))).statusCode());
    now("2027-03-27T09:02");
    assertEquals(t1, callNext());
    now("2027-03-27T09:03");
    visit(t1, "start");
    now("2027-03-27T09:13");
    visit(t1, "finish");
    now("2027-03-27T09:14");
    assertEquals(w1, callNext());
    now("2027-03-27T09:15");
    visit(w1, "start");
    now("2027-03-27T09:20");
    visit(w1, "finish");
    now("2027-03-27T09:21");
    assertEquals(w2, callNext());
    now("2027-03-27T09:23");
    visit(w2, "no-show");
    now("2027-03-27T09:30");
    JsonObject w3 = walkIn(s1);
    now("2027-03-27T09:31");
    assertEquals(200, server.client().delete("/api/v1/tickets/" + w3.getString("id"))
        .putHeader("X-Ticket-Token", w3.getString("token")).send().await().statusCode());
    now("2027-03-27T09:40");
    walkIn(s2);
    now("2027-03-27T22:05");
    assertEquals(1, server.app().queue().closingJob().run().await());

    // The night the clocks go forward: 01:50 CET, then 03:05 CEST is 15 minutes later.
    now("2027-03-28T01:50");
    String w5 = walkIn(s1).getString("id");
    now("2027-03-28T03:05");
    assertEquals(w5, callNext());
    visit(w5, "start");
    now("2027-03-28T03:10");
    String w6 = walkIn(s1).getString("id");
    now("2027-03-28T03:25");
    visit(w5, "finish");
    now("2027-03-28T03:26");
    assertEquals(w6, callNext());
    now("2027-03-28T03:27");
    visit(w6, "start");
    now("2027-03-28T03:30");
    visit(w6, "finish");

    // Monday: every appointment of the three days is past.
    now("2027-03-29T10:00");
    for (Object row : figures("from=2027-03-26&to=2027-03-28&groupBy=day").getJsonArray("rows")) {
      days.put(((JsonObject) row).getString("day"), (JsonObject) row);
    }
    for (Object row : figures("from=2027-03-28&to=2027-03-28&groupBy=hourOfDay").getJsonArray("rows")) {
      sundayHours.put(((JsonObject) row).getInteger("hourOfDay"), (JsonObject) row);
    }
    var answer = server.client().get("/api/v1/stats?from=2027-03-26&to=2027-03-28&groupBy=day,service")
        .putHeader("Authorization", "Bearer " + manager).putHeader("Accept", "text/csv").send().await();
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals("text/csv; charset=utf-8", answer.getHeader("Content-Type"));
    csv = answer.body().toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static int slots(String service, String day) {
    var answer = server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service + "&channel=desk&from="
        + day + "&to=" + day);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonArray("slots").size();
  }

  static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> bookAnswer(String service, String local) {
    return server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", point).put("serviceId", service)
        .put("channel", "desk").put("start", offset(local)).put("name", "Anna Andersson")
        .put("email", "anna-" + local.replace(":", "") + "@example.se").put("language", "sv").put("consent", true));
  }

  static JsonObject book(String service, String local) {
    return created(bookAnswer(service, local));
  }

  static JsonObject walkIn(String service) {
    return created(server.post("/api/v1/service-points/" + point + "/tickets", null,
        new JsonObject().put("serviceId", service).put("channel", "desk").put("language", "sv")));
  }

  static String callNext() {
    var called = server.post("/api/v1/counters/" + counter + "/call-next", staffToken, null);
    assertEquals(200, called.statusCode(), called.bodyAsString());
    return called.bodyAsJsonObject().getString("id");
  }

  static void visit(String ticket, String action) {
    var answer = server.post("/api/v1/tickets/" + ticket + "/" + action, staffToken,
        "finish".equals(action) ? new JsonObject() : null);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
  }

  static JsonObject figures(String query) {
    var answer = server.get("/api/v1/stats?" + query, manager);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject();
  }

  @Test
  void friday_isSearchesAndUnmetDemand() {
    JsonObject friday = days.get("2027-03-26");
    assertEquals(2L, friday.getLong("searches"));
    assertEquals(1L, friday.getLong("searchesWithoutResult"));
    assertEquals(1L, friday.getLong("slotsLost"));
    assertEquals(1L, friday.getLong("refusedClosed"));
    assertEquals(3L, friday.getLong("unmetDemand"));
    assertEquals(0L, friday.getLong("visits"));
    assertEquals(0L, friday.getLong("bookingsMade"));
    assertNull(friday.getValue("waitMedianMinutes"));
    assertNull(friday.getValue("utilisation"));
  }

  @Test
  void saturday_visitsWaitsServiceTimesAndBookings() {
    JsonObject saturday = days.get("2027-03-27");
    // Served: B1 (booked; waited 09:00 -> 09:02, served 10 min) and W1 (walk-in; 08:56 -> 09:14, 5 min).
    assertEquals(2L, saturday.getLong("visits"));
    assertEquals(1L, saturday.getLong("visitsWalkIn"));
    assertEquals(1L, saturday.getLong("visitsBooked"));
    // Waits 2 and 18 minutes: the median is the lower middle (2), the 90th percentile rank ceil(1.8) = 2 (18).
    assertEquals(2, saturday.getInteger("waitMedianMinutes"));
    assertEquals(18, saturday.getInteger("waitP90Minutes"));
    assertEquals(10.0, saturday.getDouble("waitMeanMinutes"));
    // Target 10 minutes for Bygglov: 2 is within it, 18 is not.
    assertEquals(0.5, saturday.getDouble("waitWithinTargetShare"));
    assertEquals(5, saturday.getInteger("serviceMedianMinutes"));
    assertEquals(10, saturday.getInteger("serviceP90Minutes"));
    assertEquals(7.5, saturday.getDouble("serviceMeanMinutes"));
    assertEquals(1L, saturday.getLong("noShowsCalled"));
    assertEquals(1L, saturday.getLong("leftQueue"));
    assertEquals(1L, saturday.getLong("unservedAtClosing"));
    // B1-B4 were made for Saturday; B1 is still there and checked in; B2 and B4 were cancelled.
    assertEquals(4L, saturday.getLong("bookingsMade"));
    assertEquals(1L, saturday.getLong("bookingsActive"));
    assertEquals(0L, saturday.getLong("noShowsBooked"));
    assertEquals(1L, saturday.getLong("bookingsCancelledByResident"));
    assertEquals(1L, saturday.getLong("bookingsCancelledByStaff"));
    assertEquals(0L, saturday.getLong("bookingsRescheduled"));
    // Lead times 23 h, 23 h 20, 23 h 40 and 24 h: whole days 0, 0, 0, 1; mean 5640 min / 4 = 0.98 days.
    assertEquals(0, saturday.getInteger("leadTimeMedianDays"));
    assertEquals(1.0, saturday.getDouble("leadTimeMeanDays"));
    // Shift 09-12 (180 min); B1's 20 booked minutes; 15 minutes served: 15/180 and 20/180.
    assertEquals(180L, saturday.getLong("shiftMinutes"));
    assertEquals(20L, saturday.getLong("bookedMinutes"));
    assertEquals(15L, saturday.getLong("servedMinutes"));
    assertEquals(0.083, saturday.getDouble("utilisation"));
    assertEquals(0.111, saturday.getDouble("bookedShare"));
    assertEquals(0L, saturday.getLong("searches"));
  }

  @Test
  void sunday_theNightTheClocksGoForward() {
    JsonObject sunday = days.get("2027-03-28");
    // W5 waited 01:50 CET -> 03:05 CEST = 15 minutes (not 75); W6 03:10 -> 03:26 = 16.
    assertEquals(2L, sunday.getLong("visits"));
    assertEquals(2L, sunday.getLong("visitsWalkIn"));
    assertEquals(15, sunday.getInteger("waitMedianMinutes"));
    assertEquals(16, sunday.getInteger("waitP90Minutes"));
    assertEquals(15.5, sunday.getDouble("waitMeanMinutes"));
    assertEquals(0.0, sunday.getDouble("waitWithinTargetShare"));
    assertEquals(3, sunday.getInteger("serviceMedianMinutes"));
    assertEquals(20, sunday.getInteger("serviceP90Minutes"));
    assertEquals(11.5, sunday.getDouble("serviceMeanMinutes"));
    // B3, moved to 01:00, never checked in.
    assertEquals(0L, sunday.getLong("bookingsMade"));
    assertEquals(1L, sunday.getLong("bookingsRescheduled"));
    assertEquals(1L, sunday.getLong("bookingsActive"));
    assertEquals(1L, sunday.getLong("noShowsBooked"));
    assertEquals(20L, sunday.getLong("bookedMinutes"));
    // 01:00-05:00 on this night is three hours; 23 minutes served.
    assertEquals(180L, sunday.getLong("shiftMinutes"));
    assertEquals(23L, sunday.getLong("servedMinutes"));
    assertEquals(0.128, sunday.getDouble("utilisation"));
  }

  @Test
  void sundayByHour_hasNoHourTwo() {
    assertEquals(List.of(1, 3, 4), sundayHours.keySet().stream().sorted().toList());
    assertEquals(60L, sundayHours.get(1).getLong("shiftMinutes"));
    assertEquals(60L, sundayHours.get(3).getLong("shiftMinutes"));
    assertEquals(60L, sundayHours.get(4).getLong("shiftMinutes"));
    assertEquals(1L, sundayHours.get(1).getLong("visits"));
    assertEquals(15, sundayHours.get(1).getInteger("waitMedianMinutes"));
    assertEquals(1L, sundayHours.get(3).getLong("visits"));
    assertEquals(1L, sundayHours.get(1).getLong("noShowsBooked"));
  }

  @Test
  void csv_readsBackAsTheSameFigures() throws Exception {
    assertEquals('\uFEFF', csv.charAt(0));
    List<CSVRecord> records = CSVFormat.DEFAULT.builder().setDelimiter(';').setHeader().setSkipHeaderRecord(true).build()
        .parse(new StringReader(csv.substring(1))).getRecords();
    var byKey = new HashMap<String, CSVRecord>();
    records.forEach(r -> byKey.put(r.get("day") + "/" + r.get("serviceNameSv"), r));
    CSVRecord saturdayPermits = byKey.get("2027-03-27/Bygglov");
    assertEquals("1", saturdayPermits.get("visitsBooked"));
    assertEquals("1", saturdayPermits.get("visitsWalkIn"));
    assertEquals("10", saturdayPermits.get("waitMeanMinutes"));
    assertEquals("0,5", saturdayPermits.get("waitWithinTargetShare"));
    CSVRecord saturdayCare = byKey.get("2027-03-27/Äldreomsorg");
    assertEquals("1", saturdayCare.get("noShowsCalled"));
    assertEquals("1", saturdayCare.get("unservedAtClosing"));
    assertEquals("1", saturdayCare.get("bookingsCancelledByStaff"));
    assertEquals("Elderly care", saturdayCare.get("serviceNameEn"));
    // Shift minutes belong to no single service: their row has no service.
    assertEquals("180", byKey.get("2027-03-27/").get("shiftMinutes"));
  }

  @Test
  void figures_surviveTheRemovalOfPersonalDataAndTickets() {
    server.sql("UPDATE booking SET name = NULL, email = NULL, phone = NULL, anonymised_at = now()");
    server.sql("DELETE FROM ticket");
    server.sql("DELETE FROM queue_event");
    JsonObject again = null;
    for (Object row : figures("from=2027-03-26&to=2027-03-28&groupBy=day").getJsonArray("rows")) {
      if ("2027-03-27".equals(((JsonObject) row).getString("day"))) {
        again = (JsonObject) row;
      }
    }
    assertEquals(days.get("2027-03-27"), again);
  }

  @Test
  void aTotalWithoutGroupingAddsTheDaysUp() {
    JsonObject total = figures("from=2027-03-26&to=2027-03-28").getJsonArray("rows").getJsonObject(0);
    assertEquals(4L, total.getLong("visits"));
    assertEquals(15, total.getInteger("waitMedianMinutes"));  // 2, 15, 16, 18: rank 2
    assertEquals(18, total.getInteger("waitP90Minutes"));     // rank ceil(3.6) = 4
    assertEquals(360L, total.getLong("shiftMinutes"));
    assertEquals(LocalDate.parse("2027-03-26").toString(), figures("from=2027-03-26&to=2027-03-28").getString("from"));
  }

  @Test
  void theDashboardAndTheReport_drawTheSameFiguresAsSvgWithTables() {
    var dashboard = server.get("/api/v1/stats/dashboard?from=2027-03-22&to=2027-03-28&lang=en", manager);
    assertEquals(200, dashboard.statusCode(), dashboard.bodyAsString());
    String html = dashboard.bodyAsString();
    org.junit.jupiter.api.Assertions.assertTrue(html.contains("<svg class=\"chart\""), html);
    // Week 12 of 2027: 4 visits in person, none by video.
    org.junit.jupiter.api.Assertions.assertTrue(html.contains("<tr><th scope=\"row\">2027-W12</th><td>4</td><td>0</td><td>4</td></tr>"), html);
    org.junit.jupiter.api.Assertions.assertFalse(html.contains("<script") || html.contains("style="), html);
    var report = server.get("/api/v1/stats/report?year=2027&lang=sv", manager);
    assertEquals(200, report.statusCode(), report.bodyAsString());
    org.junit.jupiter.api.Assertions.assertTrue(report.bodyAsString().contains("<tr><th scope=\"row\">mars</th><td>4</td><td>0</td></tr>"),
        report.bodyAsString());
    assertEquals(403, server.get("/api/v1/stats/report?year=2027&organisation=" + java.util.UUID.randomUUID(), manager)
        .statusCode());
    assertEquals(422, server.get("/api/v1/stats/report?year=20", manager).statusCode());
  }

  @Test
  void aWholeMonthReadFromTheMonthRows_addsUpToItsDays() {
    now("2027-04-05T10:00");
    // from the 1st of a month that is over: the month rows; from the 2nd: the day rows
    JsonObject fromMonths = figures("from=2027-03-01&to=2027-03-31").getJsonArray("rows").getJsonObject(0);
    JsonObject fromDays = figures("from=2027-03-02&to=2027-03-31").getJsonArray("rows").getJsonObject(0);
    assertEquals(fromDays, fromMonths);
    assertEquals(4L, fromMonths.getLong("visits"));
    assertEquals(1L, fromMonths.getLong("noShowsBooked"));
    JsonObject march = figures("from=2027-01-01&to=2027-12-31&groupBy=month").getJsonArray("rows").getJsonObject(0);
    assertEquals("2027-03", march.getString("month"));
    march.remove("month");
    assertEquals(fromDays, march);
    assertEquals(LocalDate.parse("2027-03-01"), StatsService.split(new StatsService.Query(LocalDate.parse("2027-01-01"),
        LocalDate.parse("2027-12-31"), List.of("month"), "organisation", null, null, null, null), LocalDate.parse("2027-03-15")));
    assertEquals(LocalDate.parse("2027-01-01"), StatsService.split(new StatsService.Query(LocalDate.parse("2027-01-01"),
        LocalDate.parse("2027-12-31"), List.of("week"), "organisation", null, null, null, null), LocalDate.parse("2027-03-15")));
  }
}
