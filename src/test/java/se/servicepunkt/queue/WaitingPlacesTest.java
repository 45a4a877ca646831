package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * A visitor's place is the same whether it is counted from the index of the waiting (a few
 * visitors: a new ticket's answer, a stream's first state) or ranked with the whole queue (a read
 * of everyone): on a queue with two services, two channels, booked visitors before and after
 * walk-ins, and arrivals at the same instant told apart by their order of arrival.
 */
class WaitingPlacesTest {
  static TestServer server;
  static Fixtures fx;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("videoUrlTemplate", "https://video.example.se/{room}"));
    fx = new Fixtures(server);
    org = fx.organisation("Haninge kommun");
    admin = fx.token(org, "admin", "staff");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aFewVisitorsCountedFromTheIndexHaveThePlacesTheWholeQueueRanks() {
    String general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk", "video");
    String permits = Lobby.service(server, admin, "Bygglov", "B", "desk");
    Lobby lobby = new Lobby(server, fx, org, admin, "Servicepunkt Handen", general, permits);
    var ids = new ArrayList<UUID>();
    for (int i = 0; i < 3 * WaitingQueries.FEW; i++) {
      String service = i % 3 == 2 ? permits : general;
      String channel = i % 4 == 1 && !service.equals(permits) ? "video" : "desk";
      ids.add(UUID.fromString(lobby.ticket(service, channel, null).getString("id")));
    }
    // arrivals in a few shared instants, some with a booked time before or after them
    Instant base = Instant.parse("2026-12-02T08:00:00Z");
    for (int i = 0; i < ids.size(); i++) {
      Instant arrived = base.plusSeconds(60L * (i % 5));
      Instant booked = i % 7 == 3 ? base.plusSeconds(150) : i % 7 == 5 ? base.minusSeconds(600) : null;
      server.sql("UPDATE ticket SET arrived_at = $2, booked_start = $3 WHERE id = $1", ids.get(i),
          java.time.OffsetDateTime.ofInstant(arrived, java.time.ZoneOffset.UTC),
          booked == null ? null : java.time.OffsetDateTime.ofInstant(booked, java.time.ZoneOffset.UTC));
    }
    server.sql("UPDATE ticket SET status = 'cancelled' WHERE id = $1", ids.get(4)); // not waiting: no place
    var queries = new WaitingQueries();
    UUID point = UUID.fromString(lobby.point);

    Map<UUID, Integer> ranked = aheadOf(queries, point, ids);
    assertEquals(ids.size() - 1, ranked.size(), "every waiting visitor, the cancelled one not");
    Map<UUID, Integer> counted = new HashMap<>();
    for (int from = 0; from < ids.size(); from += 5) {
      counted.putAll(aheadOf(queries, point, ids.subList(from, Math.min(ids.size(), from + 5))));
    }
    assertEquals(ranked, counted);
    assertTrue(ranked.values().stream().anyMatch(ahead -> ahead > 10), "a queue long enough to tell them apart");
    var queues = new HashMap<String, List<Integer>>();
    for (var row : server.sql("SELECT id, service_id, channel FROM ticket WHERE service_point_id = $1", point)) {
      Integer ahead = ranked.get(row.getUUID("id"));
      if (ahead != null) {
        queues.computeIfAbsent(row.getUUID("service_id") + " " + row.getString("channel"), q -> new ArrayList<>()).add(ahead);
      }
    }
    assertEquals(3, queues.size(), "general at the desk and on video, permits at the desk");
    queues.forEach((queue, places) -> assertEquals(java.util.stream.IntStream.range(0, places.size()).boxed().toList(),
        places.stream().sorted().toList(), "each queue's places are 0, 1, 2, … without a tie: " + queue));
  }

  private static Map<UUID, Integer> aheadOf(WaitingQueries queries, UUID point, List<UUID> tickets) {
    var places = new HashMap<UUID, Integer>();
    queries.places(server.pool(), point, tickets).await().forEach(p -> places.put(p.ticketId(), p.ahead()));
    return places;
  }
}
