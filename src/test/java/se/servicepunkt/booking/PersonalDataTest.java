package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * A resident's request under the GDPR: an administrator finds and exports the bookings of their
 * own organisation's services with the resident's address, and erases them (future ones
 * cancelled without an e-mail, name, address and phone gone at once); another organisation's
 * administrator sees none of it.
 */
class PersonalDataTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  @Test
  void anAdministratorFindsExportsAndErasesTheirOrganisationsBookingsOfAResident() {
    try (var server = TestServer.start(Map.of())) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Huddinge kommun");
      String admin = fx.token(org, "admin", "staff");
      String other = fx.token(fx.organisation("Försäkringskassan"), "admin", "staff");
      String staffOnly = fx.token(org, "staff");
      String point = fx.servicePoint(admin, "Medborgarkontor Flemingsberg", "office");
      fx.openEveryDay(admin, point, "08:00", "18:00");
      String service = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Hjälp med ansökan")
          .put("nameEn", "Help with an application").put("ticketLetter", "H").put("durationMinutes", 30)
          .put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0))).getString("id");
      assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + service, admin, null).statusCode());
      String person = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "h@huddinge.example")
          .put("displayName", "Handläggare").put("password", "a-long-enough-password")
          .put("roles", new JsonArray().add("staff")))).getString("id");
      server.put("/api/v1/staff/" + person + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(service)));
      LocalDate day = LocalDate.now(STOCKHOLM).plusDays(3);
      assertEquals(201, server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", new JsonArray().add(
          new JsonObject().put("staffId", person).put("servicePointId", point).put("channel", "desk")
              .put("start", at(day, "08:00")).put("end", at(day, "18:00"))))).statusCode());
      String[] references = new String[2];
      for (int i = 0; i < 2; i++) {
        references[i] = created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", point)
            .put("serviceId", service).put("channel", "desk").put("start", at(day, i == 0 ? "09:00" : "10:00"))
            .put("name", "Karin Karlsson").put("email", "Karin@Example.se").put("phone", "070-123 45 67")
            .put("language", "sv").put("consent", true))).getString("reference");
      }
      // the first one is long past
      server.sql("UPDATE booking SET period = tstzrange(lower(period) - interval '40 days', upper(period) - interval '40 days')"
          + " WHERE reference = $1", references[0]);

      var found = server.get("/api/v1/personal-data?email=karin@example.se", admin);
      assertEquals(200, found.statusCode(), found.bodyAsString());
      JsonArray bookings = found.bodyAsJsonArray();
      assertEquals(2, bookings.size());
      JsonObject first = bookings.getJsonObject(0);
      assertEquals("Karin Karlsson", first.getString("name"));
      assertEquals("070-123 45 67", first.getString("phone"));
      assertTrue(bookings.getJsonObject(1).getJsonArray("messages").size() >= 1, "the e-mails are listed");
      assertEquals(1, server.get("/api/v1/personal-data?reference=" + references[1].toLowerCase(), admin)
          .bodyAsJsonArray().size());
      assertEquals(0, server.get("/api/v1/personal-data?email=karin@example.se", other).bodyAsJsonArray().size(),
          "another organisation's administrator sees nothing");
      assertProblem(server.get("/api/v1/personal-data?email=karin@example.se", staffOnly), 403);
      assertInvalidFields(server.get("/api/v1/personal-data", admin), "email");

      assertEquals(0, server.delete("/api/v1/personal-data?email=karin@example.se", other).bodyAsJsonObject()
          .getInteger("erased"), "nothing of another organisation's");
      var erased = server.delete("/api/v1/personal-data?email=karin@example.se", admin);
      assertEquals(200, erased.statusCode(), erased.bodyAsString());
      assertEquals(2, erased.bodyAsJsonObject().getInteger("erased"));
      assertEquals(1, erased.bodyAsJsonObject().getInteger("cancelled"), "only the future one");
      var rows = server.sql("SELECT reference, status, name, email, phone FROM booking ORDER BY lower(period)");
      for (var row : rows) {
        assertNull(row.getString("name"));
        assertNull(row.getString("email"));
        assertNull(row.getString("phone"));
        assertEquals(row.getString("reference").equals(references[0]) ? "active" : "cancelled", row.getString("status"));
      }
      assertEquals(0L, server.sql("SELECT count(*) FROM mail_message WHERE kind = 'cancellation'").iterator().next().getLong(0),
          "no cancellation e-mail: the address is gone");
      assertEquals(0L, server.sql("SELECT count(*) FROM mail_message WHERE recipient IS NOT NULL").iterator().next()
          .getLong(0), "the e-mails forgot the address too");
      assertEquals(0, server.get("/api/v1/personal-data?email=karin@example.se", admin).bodyAsJsonArray().size());
      assertTrue(server.get("/api/v1/audit?from=" + LocalDate.now(STOCKHOLM) + "&to=" + LocalDate.now(STOCKHOLM), admin)
          .bodyAsJsonArray().stream().map(JsonObject.class::cast)
          .anyMatch(e -> e.getString("action").equals("DELETE /api/v1/personal-data")
              && !e.encode().contains("karin")), "the erasure is in the audit log, without the address");
    }
  }

  private static String at(LocalDate day, String time) {
    return ZonedDateTime.of(day, LocalTime.parse(time), STOCKHOLM).toOffsetDateTime().toString();
  }
}
