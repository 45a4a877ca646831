package se.servicepunkt.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Who sees which figures, tried for every role against every scope: a lobby hosted by one
 * organisation (H) where another (M) serves too, and a third organisation (X) elsewhere. Each
 * organisation's managers and administrators see their own services' figures (and their own
 * staff's shift minutes) and nothing of the others'; the host alone reads the lobby's totals,
 * broken down only for itself (M does not share its breakdown here); staff and reception read
 * nothing; the system administrator reads all.
 */
class StatsIsolationTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate DAY = LocalDate.of(2027, 5, 4);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(2027, 5, 3, 10, 0).atZone(STOCKHOLM).toInstant());
  static TestServer server;
  static String point;
  static String h;
  static String m;
  static String x;
  static String serviceH;
  static String serviceM;
  /** Tokens by name: role @ organisation. */
  static final Map<String, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(), CLOCK);
    var fx = new Fixtures(server);
    h = fx.organisation("Värdkommunen");
    m = fx.organisation("Myndigheten");
    x = fx.organisation("Annan kommun");
    for (var org : Map.of("H", h, "M", m, "X", x).entrySet()) {
      tokens.put("staff@" + org.getKey(), fx.token(org.getValue(), "staff"));
      tokens.put("reception@" + org.getKey(), fx.token(org.getValue(), "staff", "reception"));
      tokens.put("manager@" + org.getKey(), fx.token(org.getValue(), "staff", "manager"));
      tokens.put("admin@" + org.getKey(), fx.token(org.getValue(), "admin"));
    }
    tokens.put("sysadmin", fx.sysadmin());
    point = fx.servicePoint(tokens.get("admin@H"), "Gemensamma lobbyn", "office");
    fx.servicePoint(tokens.get("admin@X"), "Annat kontor", "office");
    fx.openEveryDay(tokens.get("admin@H"), point, "08:00", "17:00");
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/organisations/" + m, fx.sysadmin(), null)
        .statusCode());
    serviceH = service(tokens.get("admin@H"), "Kommunens ärende", "K");
    serviceM = service(tokens.get("admin@M"), "Myndighetens ärende", "M");
    shift(tokens.get("admin@H"), h, "h-staff@h.example", "10:00", "11:00");
    shift(tokens.get("admin@M"), m, "m-staff@m.example", "10:00", "12:00");
    for (int i = 0; i < 3; i++) {
      search(serviceH);
    }
    for (int i = 0; i < 2; i++) {
      search(serviceM);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String service(String admin, String name, String letter) {
    String id = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", name).put("nameEn", name)
        .put("ticketLetter", letter).put("durationMinutes", 20).put("channels", new JsonArray().add("desk"))
        .put("minNoticeMinutes", 0))).getString("id");
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + id, admin, null).statusCode());
    return id;
  }

  static void shift(String admin, String org, String email, String from, String to) {
    String person = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", email)
        .put("displayName", email).put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("staff")))).getString("id");
    var shift = new JsonObject().put("staffId", person).put("servicePointId", point).put("channel", "desk")
        .put("start", DAY.atTime(java.time.LocalTime.parse(from)).atZone(STOCKHOLM).toOffsetDateTime().toString())
        .put("end", DAY.atTime(java.time.LocalTime.parse(to)).atZone(STOCKHOLM).toOffsetDateTime().toString());
    var answer = server.post("/api/v1/shifts", admin, shift);
    assertEquals(201, answer.statusCode(), answer.bodyAsString());
  }

  static void search(String service) {
    assertEquals(200, server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service
        + "&channel=desk&from=" + DAY + "&to=" + DAY).statusCode());
  }

  static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> stats(String who, String query) {
    return server.get("/api/v1/stats?from=2027-05-01&to=2027-05-31&" + query, who == null ? null : tokens.get(who));
  }

  /** One row of totals: searches and shift minutes. */
  static List<Long> totals(String who, String query) {
    var answer = stats(who, query);
    assertEquals(200, answer.statusCode(), who + " " + query + ": " + answer.bodyAsString());
    JsonArray rows = answer.bodyAsJsonObject().getJsonArray("rows");
    long searches = 0;
    long shifts = 0;
    for (Object row : rows) {
      searches += ((JsonObject) row).getLong("searches");
      shifts += ((JsonObject) row).getLong("shiftMinutes");
    }
    return List.of(searches, shifts);
  }

  @Test
  void ownOrganisation_eachSeesItsOwnServicesAndStaffOnly() {
    for (String role : List.of("manager", "admin")) {
      assertEquals(List.of(3L, 60L), totals(role + "@H", ""), role + "@H");
      assertEquals(List.of(2L, 120L), totals(role + "@M", ""), role + "@M");
      assertEquals(List.of(0L, 0L), totals(role + "@X", ""), role + "@X");
      // Grouped by organisation or service: only their own appear.
      for (String org : List.of("H", "M", "X")) {
        var answer = stats(role + "@" + org, "groupBy=organisation,service,servicePoint");
        assertEquals(200, answer.statusCode());
        Set<String> seen = answer.bodyAsJsonObject().getJsonArray("rows").stream()
            .map(r -> ((JsonObject) r).getString("organisationId")).collect(Collectors.toSet());
        String own = Map.of("H", h, "M", m, "X", x).get(org);
        assertTrue(seen.isEmpty() || seen.equals(Set.of(own)), role + "@" + org + " saw " + seen);
      }
      // Naming another organisation is refused, even the lobby's host.
      assertEquals(403, stats(role + "@M", "organisation=" + h).statusCode());
      assertEquals(403, stats(role + "@H", "organisation=" + m).statusCode());
      assertEquals(List.of(3L, 60L), totals(role + "@H", "organisation=" + h));
      // Filtering by another organisation's service gives nothing of it.
      assertEquals(List.of(0L, 0L), totals(role + "@H", "service=" + serviceM));
    }
  }

  @Test
  void lobby_onlyTheHostReadsItsTotals_brokenDownOnlyForItself() {
    for (String role : List.of("manager", "admin")) {
      assertEquals(List.of(5L, 180L), totals(role + "@H", "scope=lobby&servicePoint=" + point));
      assertEquals(List.of(5L, 180L), totals(role + "@H", "scope=lobby&servicePoint=" + point + "&groupBy=day,channel"));
      assertEquals(403, stats(role + "@M", "scope=lobby&servicePoint=" + point).statusCode());
      assertEquals(403, stats(role + "@X", "scope=lobby&servicePoint=" + point).statusCode());
      for (String breakdown : List.of("service=" + serviceM, "organisation=" + m, "service=" + serviceH)) {
        assertEquals(403, stats(role + "@H", "scope=lobby&servicePoint=" + point + "&" + breakdown).statusCode(),
            breakdown);
      }
      // Grouped by service and organisation: the host's own, and M (which shares nothing with it, see
      // StatsSharingTest) only as one undivided rest, so the rows still add up to the lobby's totals.
      String grouped = "scope=lobby&servicePoint=" + point + "&groupBy=organisation,service";
      assertEquals(List.of(5L, 180L), totals(role + "@H", grouped));
      var rows = stats(role + "@H", grouped).bodyAsJsonObject().getJsonArray("rows").stream().map(r -> (JsonObject) r)
          .toList();
      Set<String> organisations = rows.stream().map(r -> String.valueOf(r.getString("organisationId")))
          .collect(Collectors.toSet());
      Set<String> services = rows.stream().map(r -> String.valueOf(r.getString("serviceId"))).collect(Collectors.toSet());
      assertEquals(Set.of(h, "null"), organisations, role);
      assertEquals(Set.of(serviceH, "null"), services, role);
      assertTrue(rows.stream().noneMatch(r -> r.getString("organisationId") == null && r.getString("serviceId") != null));
      assertEquals(422, stats(role + "@H", "scope=lobby").statusCode());
    }
  }

  @Test
  void staffAndReception_readNothing_andWithoutATokenNobodyDoes() {
    for (String org : List.of("H", "M", "X")) {
      for (String role : List.of("staff", "reception")) {
        for (String query : List.of("", "scope=lobby&servicePoint=" + point, "groupBy=organisation")) {
          assertEquals(403, stats(role + "@" + org, query).statusCode(), role + "@" + org + " " + query);
        }
      }
    }
    assertEquals(401, stats(null, "").statusCode());
  }

  @Test
  void theSystemAdministratorReadsEverything() {
    assertEquals(List.of(5L, 180L), totals("sysadmin", ""));
    var answer = stats("sysadmin", "groupBy=organisation");
    Map<String, Long> searches = answer.bodyAsJsonObject().getJsonArray("rows").stream().map(r -> (JsonObject) r)
        .collect(Collectors.toMap(r -> r.getString("organisationId"), r -> r.getLong("searches")));
    assertEquals(Map.of(h, 3L, m, 2L), searches);
    assertEquals(List.of(2L, 120L), totals("sysadmin", "organisation=" + m));
    assertEquals(List.of(5L, 180L), totals("sysadmin", "servicePoint=" + point));
  }

  @Test
  void badQuestions_areAnsweredWith422AndNameTheField() {
    for (String query : List.of("groupBy=colour", "channel=phone", "servicePoint=nope", "scope=everything",
        "format=xml")) {
      var answer = stats("manager@H", query);
      assertEquals(422, answer.statusCode(), query);
      String field = query.substring(0, query.indexOf('='));
      assertEquals(field, answer.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
    }
    assertEquals(422, server.get("/api/v1/stats?to=2027-05-31", tokens.get("manager@H")).statusCode());
    assertEquals(422, server.get("/api/v1/stats?from=2027-05-31&to=2027-05-01", tokens.get("manager@H")).statusCode());
    assertEquals(422, server.get("/api/v1/stats?from=2020-01-01&to=2027-05-01", tokens.get("manager@H")).statusCode());
  }
}
