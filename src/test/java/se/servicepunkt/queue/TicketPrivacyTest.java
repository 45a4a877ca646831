package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/** Staff's note of how a visit ended never reaches the visitor; staff at the point still see it. */
class TicketPrivacyTest {
  @Test
  void theOutcomeIsShownToStaffAndNeverToTheVisitor() {
    try (var server = TestServer.start(Map.of())) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      String admin = fx.token(org, "admin", "staff");
      String service = Lobby.service(server, admin, "Hälsoärenden", "H", "desk");
      var lobby = new Lobby(server, fx, org, admin, "Hemse servicepunkt", service);
      var desk = lobby.desk("Lucka 1", "desk", service);
      JsonObject ticket = lobby.ticket(service);
      String id = ticket.getString("id");
      lobby.callNext(desk);
      assertEquals(200, server.post("/api/v1/tickets/" + id + "/start", desk.token(), null).statusCode());
      assertEquals(200, server.post("/api/v1/tickets/" + id + "/finish", desk.token(),
          new JsonObject().put("outcome", "remitterad till vårdcentralen")).statusCode());

      var visitor = server.get("/api/v1/tickets/" + id + "?token=" + ticket.getString("token")).bodyAsJsonObject();
      assertEquals("done", visitor.getString("status"));
      assertFalse(visitor.containsKey("outcome"), "the visitor does not see staff's note: " + visitor);
      var staff = server.get("/api/v1/tickets/" + id, desk.token()).bodyAsJsonObject();
      assertEquals("remitterad till vårdcentralen", staff.getString("outcome"));
    }
  }

  @Test
  void priorityReasonsAndOutcomesAreForgottenWithTheRetentionPeriodTheFactOfPriorityKept() {
    try (var server = TestServer.start(Map.of("retentionDays", 30))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      String admin = fx.token(org, "admin", "staff");
      String service = Lobby.service(server, admin, "Hälsoärenden", "H", "desk");
      var lobby = new Lobby(server, fx, org, admin, "Hemse servicepunkt", service);
      var desk = lobby.desk("Lucka 1", "desk", service);
      String old = lobby.ticket(service, "desk", "mobility").getString("id");
      String recent = lobby.ticket(service, "desk", "mobility").getString("id");
      String waiting = lobby.ticket(service, "desk", "mobility").getString("id");
      for (String id : new String[] {old, recent}) {
        lobby.callNext(desk);
        server.post("/api/v1/tickets/" + id + "/start", desk.token(), null);
        server.post("/api/v1/tickets/" + id + "/finish", desk.token(), new JsonObject().put("outcome", "note"));
      }
      server.sql("UPDATE ticket SET arrived_at = arrived_at - interval '31 days', called_at = called_at - interval '31 days',"
          + " started_at = started_at - interval '31 days', finished_at = finished_at - interval '31 days' WHERE id = $1",
          java.util.UUID.fromString(old));
      assertEquals(1, new TicketRetention(server.vertx(), server.pool(), 30).run().await());
      var rows = server.sql("SELECT id::text, priority_reason, outcome FROM ticket");
      for (var row : rows) {
        String id = row.getString(0);
        if (id.equals(old)) {
          assertEquals(TicketRetention.WITHHELD, row.getString(1), "the fact of priority kept, not its reason");
          assertEquals(null, row.getString(2));
        } else {
          assertEquals("mobility", row.getString(1), id.equals(waiting) ? "a waiting ticket" : "a recent ticket");
        }
      }
      assertEquals(0, new TicketRetention(server.vertx(), server.pool(), 30).run().await(), "once");
    }
  }
}
