package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * A kiosk's double tap gives one ticket: walk-in requests with the same {@code Idempotency-Key},
 * sent at the same moment to two instances on one real PostgreSQL, all get the first ticket (id,
 * number and token), and only one ticket and one event are written.
 */
class TicketIdempotencyTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(TODAY, LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());

  static TestServer first;
  static TestServer second;
  static Fixtures fx;
  static String org;
  static String admin;

  @BeforeAll
  static void start() {
    first = TestServer.start(Map.of(), CLOCK);
    second = first.another(Map.of());
    fx = new Fixtures(first);
    org = fx.organisation("Botkyrka kommun");
    admin = fx.token(org, "admin", "staff");
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void requestsWithOneKeyAtTheSameMomentGetOneTicket() {
    String service = Lobby.service(first, admin, "Bygglov", "B", "desk");
    String other = Lobby.service(first, admin, "Hemtjänst", "H", "desk");
    Lobby lobby = new Lobby(first, fx, org, admin, "Kontaktcenter Dubbeltryck", service, other);
    for (int round = 0; round < 3; round++) {
      String key = UUID.randomUUID().toString();
      var all = new ArrayList<Future<HttpResponse<Buffer>>>();
      for (int i = 0; i < 12; i++) {
        all.add(take(i % 2 == 0 ? first : second, lobby, service, key));
      }
      Future.join(all).await();
      Set<String> answers = new HashSet<>();
      for (var response : all) {
        assertEquals(201, response.result().statusCode(), response.result().bodyAsString());
        JsonObject ticket = response.result().bodyAsJsonObject();
        answers.add(ticket.getString("id") + " " + ticket.getString("number") + " " + ticket.getString("token"));
      }
      assertEquals(1, answers.size(), "one ticket for one key: " + answers);
      String[] parts = answers.iterator().next().split(" ");
      assertEquals(200, first.get("/api/v1/tickets/" + parts[0] + "?token=" + parts[2]).statusCode(),
          "the replayed token is the ticket's");
    }
    UUID point = UUID.fromString(lobby.point);
    assertEquals(3L, first.sql("SELECT count(*) FROM ticket WHERE service_point_id = $1", point).iterator().next()
        .getLong(0), "three keys, three tickets");
    assertEquals(3L, first.sql("SELECT count(*) FROM queue_event WHERE service_point_id = $1 AND type = 'ticket-created'",
        point).iterator().next().getLong(0), "one event per ticket");

    String key = UUID.randomUUID().toString();
    var firstTicket = take(first, lobby, service, key).await();
    assertEquals(201, firstTicket.statusCode());
    var again = take(second, lobby, service, key).await();
    assertEquals(firstTicket.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"),
        "a later retry too");
    assertEquals(422, take(first, lobby, other, key).await().statusCode(), "the key of another request");
    assertEquals(201, take(first, lobby, service, null).await().statusCode(), "no key: a new ticket each time");
    assertEquals(400, take(first, lobby, service, "ett mellanslag").await().statusCode(), "an unreadable key");
  }

  private static Future<HttpResponse<Buffer>> take(TestServer via, Lobby lobby, String service, String key) {
    var request = via.client().post("/api/v1/service-points/" + lobby.point + "/tickets");
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    return request.sendJsonObject(new JsonObject().put("serviceId", service).put("channel", "desk").put("language", "sv"));
  }
}
