package se.servicepunkt.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Eventually;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * An organisation serving at a point hosted by another shares its service breakdown of that point
 * with the host, or not: a lobby hosted by H where M and N serve too (M with two services, N with
 * one), and X elsewhere. Without sharing the host's lobby grouped by service or organisation shows
 * its own services and one undivided row for the rest; once M shares, M's services appear (N's
 * never); once M stops, they are gone again. Only M's own administrators (or a system
 * administrator) set it, every refused attempt changes nothing, and each change is in the audit
 * log.
 */
class StatsSharingTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate DAY = LocalDate.of(2027, 5, 4);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(2027, 5, 3, 10, 0).atZone(STOCKHOLM).toInstant());
  static TestServer server;
  static Fixtures fx;
  static String point;
  static String h;
  static String m;
  static String n;
  static String x;
  static String serviceH;
  static String serviceM1;
  static String serviceM2;
  static String serviceN;
  static final Map<String, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(), CLOCK);
    fx = new Fixtures(server);
    h = fx.organisation("Värdkommunen");
    m = fx.organisation("Myndigheten");
    n = fx.organisation("Regionen");
    x = fx.organisation("Annan kommun");
    for (var org : Map.of("H", h, "M", m, "N", n, "X", x).entrySet()) {
      tokens.put("staff@" + org.getKey(), fx.token(org.getValue(), "staff"));
      tokens.put("manager@" + org.getKey(), fx.token(org.getValue(), "staff", "manager"));
      tokens.put("admin@" + org.getKey(), fx.token(org.getValue(), "admin"));
    }
    tokens.put("sysadmin", fx.sysadmin());
    point = fx.servicePoint(tokens.get("admin@H"), "Gemensamma lobbyn", "office");
    fx.servicePoint(tokens.get("admin@X"), "Annat kontor", "office");
    fx.openEveryDay(tokens.get("admin@H"), point, "08:00", "17:00");
    for (String member : List.of(m, n)) {
      assertEquals(204, server.put(members() + member, tokens.get("admin@H"), null).statusCode());
    }
    serviceH = service("H", "Kommunens ärende", "K");
    serviceM1 = service("M", "Myndighetens första ärende", "M");
    serviceM2 = service("M", "Myndighetens andra ärende", "P");
    serviceN = service("N", "Regionens ärende", "R");
    search(serviceH, 3);
    search(serviceM1, 2);
    search(serviceM2, 4);
    search(serviceN, 5);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String members() {
    return "/api/v1/service-points/" + point + "/organisations/";
  }

  static String sharing(String organisation) {
    return members() + organisation + "/statistics-sharing";
  }

  static String service(String org, String name, String letter) {
    String admin = tokens.get("admin@" + org);
    String id = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", name).put("nameEn", name)
        .put("ticketLetter", letter).put("durationMinutes", 20).put("channels", new JsonArray().add("desk"))
        .put("minNoticeMinutes", 0))).getString("id");
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + id, admin, null).statusCode());
    return id;
  }

  static void search(String service, int times) {
    for (int i = 0; i < times; i++) {
      assertEquals(200, server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service
          + "&channel=desk&from=" + DAY + "&to=" + DAY).statusCode());
    }
  }

  static HttpResponse<Buffer> share(String who, String organisation, Object body) {
    return server.put(sharing(organisation), who == null ? null : tokens.get(who), body);
  }

  static JsonObject shared(boolean on) {
    return new JsonObject().put("shared", on);
  }

  static HttpResponse<Buffer> lobby(String who, String query) {
    return server.get("/api/v1/stats?from=2027-05-01&to=2027-05-31&scope=lobby&servicePoint=" + point + "&" + query,
        tokens.get(who));
  }

  /** The lobby's searches by the key named (a service or an organisation id; "rest" for the undivided row). */
  static Map<String, Long> searchesBy(String who, String key) {
    var answer = lobby(who, "groupBy=" + key);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    var out = new HashMap<String, Long>();
    for (Object row : answer.bodyAsJsonObject().getJsonArray("rows")) {
      var r = (JsonObject) row;
      String id = r.getString("service".equals(key) ? "serviceId" : "organisationId");
      out.merge(id == null ? "rest" : id, r.getLong("searches"), Long::sum);
    }
    return out;
  }

  /** Whether each organisation serving at the point shares its figures, as the public list says. */
  static Map<String, Boolean> sharingAsListed() {
    var answer = server.get(members().substring(0, members().length() - 1));
    assertEquals(200, answer.statusCode());
    var out = new HashMap<String, Boolean>();
    answer.bodyAsJsonArray().forEach(o -> out.put(((JsonObject) o).getString("id"),
        ((JsonObject) o).getBoolean("sharesStatistics")));
    return out;
  }

  static boolean storedSharing(String organisation) {
    return server.sql("SELECT shares_statistics FROM service_point_member WHERE service_point_id = $1 "
        + "AND organisation_id = $2", UUID.fromString(point), UUID.fromString(organisation))
        .iterator().next().getBoolean(0);
  }

  @Test
  void beforeSharing_thenSharing_thenRevoking() throws Exception {
    // Before: the host's own service and one undivided rest; the totals are the lobby's all the same.
    assertEquals(Map.of(h, true, m, false, n, false), sharingAsListed());
    for (String who : List.of("manager@H", "admin@H")) {
      assertEquals(Map.of(serviceH, 3L, "rest", 11L), searchesBy(who, "service"), who);
      assertEquals(Map.of(h, 3L, "rest", 11L), searchesBy(who, "organisation"), who);
    }
    var totals = lobby("manager@H", "");
    assertEquals(14L, totals.bodyAsJsonObject().getJsonArray("rows").getJsonObject(0).getLong("searches"));

    // M shares: its two services (and M itself) appear to the host; N's stay in the rest.
    assertEquals(204, share("admin@M", m, shared(true)).statusCode());
    assertTrue(storedSharing(m));
    assertEquals(Map.of(h, true, m, true, n, false), sharingAsListed());
    assertEquals(Map.of(serviceH, 3L, serviceM1, 2L, serviceM2, 4L, "rest", 5L), searchesBy("manager@H", "service"));
    assertEquals(Map.of(h, 3L, m, 6L, "rest", 5L), searchesBy("manager@H", "organisation"));
    var both = lobby("manager@H", "groupBy=organisation,service");
    for (Object row : both.bodyAsJsonObject().getJsonArray("rows")) {
      var r = (JsonObject) row;
      assertTrue(r.getString("organisationId") != null || r.getString("serviceId") == null, r.encode());
      if (m.equals(r.getString("organisationId"))) {
        assertEquals("Myndigheten", r.getString("organisationName"));
      }
    }
    // Sharing is setting it, not a toggle: saying so twice keeps it on.
    assertEquals(204, share("admin@M", m, shared(true)).statusCode());
    assertTrue(storedSharing(m));
    // Other organisations' managers still read no lobby, and a lobby is never filtered by another's service.
    assertEquals(403, lobby("manager@M", "groupBy=service").statusCode());
    assertEquals(403, lobby("manager@N", "groupBy=service").statusCode());
    assertEquals(403, lobby("manager@H", "service=" + serviceM1).statusCode());
    assertEquals(403, lobby("manager@H", "organisation=" + m).statusCode());
    // M's own figures are M's as before.
    assertEquals(List.of(6L), List.of(server.get("/api/v1/stats?from=2027-05-01&to=2027-05-31", tokens.get("manager@M"))
        .bodyAsJsonObject().getJsonArray("rows").getJsonObject(0).getLong("searches")));

    // M stops sharing: back to the host's own service and the rest.
    assertEquals(204, share("admin@M", m, shared(false)).statusCode());
    assertEquals(false, storedSharing(m));
    assertEquals(Map.of(h, true, m, false, n, false), sharingAsListed());
    assertEquals(Map.of(serviceH, 3L, "rest", 11L), searchesBy("manager@H", "service"));
    assertEquals(Map.of(h, 3L, "rest", 11L), searchesBy("manager@H", "organisation"));

    // Both changes are in M's audit log, as M's administrator made them.
    String action = "PUT /api/v1/service-points/:id/organisations/:organisationId/statistics-sharing";
    assertTrue(Eventually.within(5_000, () -> server.sql("SELECT count(*) FROM audit_event WHERE action = $1 "
        + "AND organisation_id = $2 AND status = 204", action, UUID.fromString(m)).iterator().next().getLong(0) >= 3),
        "the changes are audited");
  }

  @Test
  void onlyTheServingOrganisationsAdministratorsSetIt_andRefusalsChangeNothing() throws Exception {
    boolean before = storedSharing(n);
    // The host decides nothing about another's figures; nor do other organisations, or N's staff and managers.
    for (String who : List.of("admin@H", "manager@H", "admin@M", "admin@X", "manager@N", "staff@N")) {
      var answer = share(who, n, shared(!before));
      assertEquals(403, answer.statusCode(), who + ": " + answer.bodyAsString());
      assertEquals("application/problem+json", answer.getHeader("Content-Type"), who);
    }
    assertEquals(401, share(null, n, shared(!before)).statusCode());
    // Bad bodies: a clear 4xx, nothing stored.
    assertEquals(422, share("admin@N", n, new JsonObject()).statusCode());
    assertEquals(422, share("admin@N", n, new JsonObject().put("shared", "perhaps")).statusCode());
    assertEquals(400, share("admin@N", n, "[true]").statusCode());
    assertEquals(400, share("admin@N", n, null).statusCode());
    assertEquals(before, storedSharing(n));
    assertEquals(before, searchesBy("manager@H", "service").containsKey(serviceN), "N's service as N chose");

    // The host has nothing to share with itself; an organisation that does not serve here cannot share.
    assertEquals(409, share("admin@H", h, shared(true)).statusCode());
    assertEquals(409, share("admin@X", x, shared(true)).statusCode());
    assertEquals(0L, server.sql("SELECT count(*) FROM service_point_member WHERE organisation_id = $1",
        UUID.fromString(x)).iterator().next().getLong(0));
    assertEquals(404, server.put("/api/v1/service-points/" + UUID.randomUUID() + "/organisations/" + n
        + "/statistics-sharing", tokens.get("admin@N"), shared(true)).statusCode());
    assertEquals(404, server.put(members() + "not-an-id/statistics-sharing", tokens.get("sysadmin"), shared(true))
        .statusCode());

    // The system administrator may act for N.
    assertEquals(204, share("sysadmin", n, shared(true)).statusCode());
    assertTrue(searchesBy("manager@H", "service").containsKey(serviceN));
    assertEquals(204, share("admin@N", n, shared(false)).statusCode());
    assertTrue(!searchesBy("manager@H", "service").containsKey(serviceN));
  }

  @Test
  void sharingEndsWithTheMembership() {
    String y = fx.organisation("Tillfälliga myndigheten");
    String adminY = fx.token(y, "admin");
    assertEquals(204, server.put(members() + y, tokens.get("admin@H"), null).statusCode());
    assertEquals(204, server.put(sharing(y), adminY, shared(true)).statusCode());
    assertEquals(true, sharingAsListed().get(y));
    assertEquals(204, server.delete(members() + y, tokens.get("admin@H")).statusCode());
    assertEquals(409, server.put(sharing(y), adminY, shared(true)).statusCode());
    assertEquals(204, server.put(members() + y, tokens.get("admin@H"), null).statusCode());
    assertEquals(false, sharingAsListed().get(y), "added again, it starts unshared");
    assertEquals(204, server.delete(members() + y, tokens.get("admin@H")).statusCode());
  }
}
