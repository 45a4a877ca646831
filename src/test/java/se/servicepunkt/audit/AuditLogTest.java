package se.servicepunkt.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Staff's and admins' changes are recorded (who, what, when, how it ended; no resident data),
 * each organisation's administrators read and export their own organisation's log only, and old
 * events are removed after auditRetentionDays.
 */
class AuditLogTest {
  /** The day as the log's dates are read: in the configured zone, not the machine's (they differ around midnight). */
  private static final String TODAY = LocalDate.now(java.time.ZoneId.of("Europe/Stockholm")).toString();

  @Test
  void changesAreRecordedPerOrganisationAndOnlyItsAdministratorsReadThem() {
    try (var server = TestServer.start(Map.of())) {
      var fx = new Fixtures(server);
      String gotland = fx.organisation("Region Gotland");
      String kommun = fx.organisation("Gotlands kommun");
      String admin = fx.token(gotland, "admin", "staff");
      String staff = fx.token(gotland, "staff");
      String other = fx.token(kommun, "admin", "staff");
      String point = fx.servicePoint(admin, "Hemse servicepunkt", "office");
      server.get("/api/v1/service-points/" + point, admin); // a read: not recorded
      assertProblem(server.post("/api/v1/service-points/" + point + "/counters", staff,
          new JsonObject().put("name", "Lucka 1").put("channel", "desk")), 403); // refused, but recorded
      assertEquals(201, server.post("/api/v1/service-points/" + point + "/counters", admin,
          new JsonObject().put("name", "Lucka 1").put("channel", "desk")).statusCode());

      var log = server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY, admin);
      assertEquals(200, log.statusCode(), log.bodyAsString());
      JsonArray events = log.bodyAsJsonArray();
      assertTrue(events.stream().map(JsonObject.class::cast)
          .anyMatch(e -> e.getString("action").equals("POST /api/v1/service-points/:id/counters")
              && e.getInteger("status") == 201 && e.getJsonObject("target").getString("id").equals(point)), events.encode());
      assertTrue(events.stream().map(JsonObject.class::cast).anyMatch(e -> e.getInteger("status") == 403),
          "a refused attempt is recorded too");
      assertFalse(events.encode().contains("GET "), "reads are not recorded");
      assertTrue(events.stream().map(JsonObject.class::cast).allMatch(e -> gotland.equals(e.getString("organisationId"))));

      assertEquals(0, server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY, other).bodyAsJsonArray().size(),
          "another organisation's admin sees nothing of it");
      assertProblem(server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY + "&organisationId=" + gotland, other), 403);
      assertProblem(server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY, staff), 403);
      String sysadmin = server.sysadminToken();
      assertInvalidFields(server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY, sysadmin), "organisationId");
      assertEquals(events.size(), server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY + "&organisationId="
          + gotland, sysadmin).bodyAsJsonArray().size());
      assertTrue(server.get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY + "&organisationId=system", sysadmin)
          .bodyAsJsonArray().stream().map(JsonObject.class::cast)
          .anyMatch(e -> e.getString("action").equals("POST /api/v1/organisations")), "the system administrator's own");
      assertInvalidFields(server.get("/api/v1/audit?from=2026-12-02&to=2026-12-01", admin), "to");
    }
  }

  @Test
  void theLogExportsAsCsvThatExcelOpensWithSwedishCharacters() {
    try (var server = TestServer.start(Map.of())) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      String admin = fx.token(org, "admin", "staff");
      fx.servicePoint(admin, "Servicepunkt Klintehamn", "office");
      var csv = server.client().get("/api/v1/audit?from=" + TODAY + "&to=" + TODAY)
          .putHeader("Authorization", "Bearer " + admin).putHeader("Accept", "text/csv").send().await();
      assertEquals(200, csv.statusCode());
      assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
      byte[] bytes = csv.body().getBytes();
      assertEquals((byte) 0xEF, bytes[0], "a UTF-8 byte-order mark, so Excel reads åäö");
      String text = new String(bytes, StandardCharsets.UTF_8);
      assertTrue(text.startsWith("\uFEFFtid;personal;personal-id;åtgärd;mål;status\r\n"), text);
      assertTrue(text.contains("\"POST /api/v1/service-points\""), text);
    }
  }

  @Test
  void eventsOlderThanTheRetentionAreRemoved() {
    try (var server = TestServer.start(Map.of("auditRetentionDays", 10))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      String admin = fx.token(org, "admin", "staff");
      fx.servicePoint(admin, "Hemse servicepunkt", "office");
      long before = count(server);
      assertTrue(before >= 1);
      server.sql("UPDATE audit_event SET at = now() - interval '11 days' WHERE action LIKE 'POST /api/v1/service-points%'");
      new AuditLog(server.pool(), "/api/v1", 10).prune(server.pool()).await();
      assertEquals(before - 1, count(server));
    }
  }

  private static long count(TestServer server) {
    return server.sql("SELECT count(*) FROM audit_event").iterator().next().getLong(0);
  }
}
