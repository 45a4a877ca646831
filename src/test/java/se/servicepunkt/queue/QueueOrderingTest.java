package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * The ordering policy with a clock the test moves: booked visitors whose time has come first,
 * early arrivals waiting for their time, late ones joining as walk-ins, priority visitors by the
 * ratio, skills and channels; ticket numbers per local day across both DST nights; closing time.
 */
class QueueOrderingTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate DAY = LocalDate.of(2026, 12, 2);
  static final TestClock CLOCK = new TestClock(at(DAY, "08:00"));
  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;
  static String general;
  static String permits;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("videoUrlTemplate", "https://video.example.se/{room}", "priorityRatio", 2,
        "checkInEarlyMinutes", 60, "checkInLateMinutes", 15), CLOCK);
    fx = new Fixtures(server);
    org = fx.organisation("Nacka kommun");
    admin = fx.token(org, "admin", "staff");
    general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk", "video");
    permits = Lobby.service(server, admin, "Bygglov", "B", "desk");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static java.time.Instant at(LocalDate day, String time) {
    return ZonedDateTime.of(day, java.time.LocalTime.parse(time), STOCKHOLM).toInstant();
  }

  static void clock(LocalDate day, String time) {
    CLOCK.set(at(day, time));
  }

  JsonObject book(Lobby lobby, LocalDate day, String time, String name) {
    return created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", lobby.point)
        .put("serviceId", general).put("channel", "desk")
        .put("start", ZonedDateTime.of(day, java.time.LocalTime.parse(time), STOCKHOLM).toOffsetDateTime().toString())
        .put("name", name).put("email", "besok@example.se").put("language", "sv").put("consent", true)));
  }

  JsonObject checkIn(JsonObject booking) {
    var response = server.post("/api/v1/bookings/" + booking.getString("reference") + "/check-in?token="
        + booking.getString("manageToken"), null, null);
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  void shift(Lobby lobby, Lobby.Staff staff, LocalDate day) {
    var shift = new JsonObject().put("staffId", staff.id()).put("servicePointId", lobby.point).put("channel", "desk")
        .put("start", at(day, "07:00").atOffset(ZoneOffset.UTC).toString())
        .put("end", at(day, "20:00").atOffset(ZoneOffset.UTC).toString());
    var planned = server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", new JsonArray().add(shift)));
    assertEquals(201, planned.statusCode(), planned.bodyAsString());
  }

  @Test
  void bookedVisitorsWhoseTimeHasComeGoFirstThenArrivalsWithPriorityByTheRatio() {
    clock(DAY, "08:00");
    Lobby lobby = new Lobby(server, fx, org, admin, "Nacka Forum", general, permits);
    var staff = lobby.staff(general, permits);
    shift(lobby, staff, DAY);
    shift(lobby, staff, DAY.plusDays(1));
    var late = book(lobby, DAY, "10:00", "Anna Andersson");
    var soon = book(lobby, DAY, "10:20", "Bo Berg");
    var later = book(lobby, DAY, "10:40", "Cecilia Ek");
    var afternoon = book(lobby, DAY, "12:00", "Dan Dahl");
    var tomorrow = book(lobby, DAY.plusDays(1), "10:00", "Eva Ek");

    clock(DAY, "10:00");
    String w1 = lobby.ticket(general).getString("number");
    String w2 = lobby.ticket(general).getString("number");
    clock(DAY, "10:05");
    var early = checkIn(later);
    assertTrue(early.getBoolean("booked"), "early: keeps the booked place, waits for 10:40");
    clock(DAY, "10:10");
    var due = checkIn(soon);
    // the console shows staff of the service's organisation the booking's reference and name; the visitor's answer has neither
    var asStaff = server.get("/api/v1/tickets/" + due.getString("id"), staff.token()).bodyAsJsonObject();
    assertEquals(soon.getString("reference"), asStaff.getJsonObject("booking").getString("reference"));
    assertEquals("Bo Berg", asStaff.getJsonObject("booking").getString("name"));
    var asVisitor = server.get("/api/v1/tickets/" + due.getString("id") + "?token=" + due.getString("token")).bodyAsJsonObject();
    assertFalse(asVisitor.containsKey("booking"), "not to the visitor");
    assertProblem(server.post("/api/v1/bookings/" + soon.getString("reference") + "/check-in?token=" + soon.getString("manageToken"), null, null), 409);
    clock(DAY, "10:12");
    String p1 = lobby.ticket(general, "desk", "mobility").getString("number");
    clock(DAY, "10:13");
    String w3 = lobby.ticket(general).getString("number");
    clock(DAY, "10:25");
    var walkIn = checkIn(late);
    assertFalse(walkIn.getBoolean("booked"), "more than 15 minutes late: joins as a walk-in");
    assertProblem(server.post("/api/v1/bookings/" + afternoon.getString("reference") + "/check-in?token=" + afternoon.getString("manageToken"), null, null), 409);
    assertProblem(server.post("/api/v1/bookings/" + tomorrow.getString("reference") + "/check-in?token=" + tomorrow.getString("manageToken"), null, null), 409);
    assertProblem(server.post("/api/v1/bookings/" + late.getString("reference") + "/check-in?token=wrong", null, null), 404);

    var desk = lobby.desk("Lucka 1", "desk", staff, List.of("desk"));
    var order = new ArrayList<String>();
    String number;
    while ((number = lobby.callNext(desk)) != null) {
      order.add(number);
    }
    assertEquals(List.of(due.getString("number"), w1, w2, p1, w3, walkIn.getString("number")), order,
        "the booked 10:20 first; then arrivals, one priority after two ordinary; the 10:40 booking waits");
    clock(DAY, "10:40");
    assertEquals(early.getString("number"), lobby.callNext(desk), "its time has come");
    assertNull(lobby.callNext(desk));
  }

  @Test
  void aCounterGetsOnlyServicesItsStaffHandleAndOnlyItsChannels() {
    clock(DAY, "11:00");
    Lobby lobby = new Lobby(server, fx, org, admin, "Nacka Medborgarkontor", general, permits);
    String a = lobby.ticket(general).getString("number");
    String b = lobby.ticket(permits).getString("number");
    String video = lobby.ticket(general, "video", null).getString("number");
    String a2 = lobby.ticket(general).getString("number");
    String video2 = lobby.ticket(general, "video", null).getString("number");

    var permitsOnly = lobby.desk("Lucka B", "desk", permits);
    assertEquals(b, lobby.callNext(permitsOnly));
    assertNull(lobby.callNext(permitsOnly), "no other permit visitors; the general ones are not for this desk");
    var videoRoom = lobby.desk("Videorum", "video", general);
    assertEquals(video, lobby.callNext(videoRoom));
    var deskA = lobby.desk("Lucka A", "desk", general);
    assertEquals(a, lobby.callNext(deskA));
    var both = lobby.desk("Lucka AV", "desk", lobby.staff(general), List.of("desk", "video"));
    assertEquals(a2, lobby.callNext(both));
    assertEquals(video2, lobby.callNext(both), "a member of staff set to take both gets video visitors too");
    assertNull(lobby.callNext(deskA));
    assertNull(lobby.callNext(videoRoom));
  }

  @Test
  void numbersRestartAtLocalMidnightAcrossBothDstNights() {
    clock(LocalDate.of(2026, 10, 24), "23:50");
    Lobby lobby = new Lobby(server, fx, org, admin, "Nacka Nattöppet", new Lobby.Hours("00:00", "23:59"), general);
    assertEquals("A001", lobby.ticket(general).getString("number"));
    assertEquals("A002", lobby.ticket(general).getString("number"));
    clock(LocalDate.of(2026, 10, 25), "00:05");
    assertEquals("A001", lobby.ticket(general).getString("number"), "a new local day");
    CLOCK.set(LocalDateTime.of(2026, 10, 25, 2, 30).atZone(STOCKHOLM).withEarlierOffsetAtOverlap().toInstant());
    assertEquals("A002", lobby.ticket(general).getString("number"));
    CLOCK.set(LocalDateTime.of(2026, 10, 25, 2, 30).atZone(STOCKHOLM).withLaterOffsetAtOverlap().toInstant());
    assertEquals("A003", lobby.ticket(general).getString("number"), "the repeated hour is the same day");

    clock(LocalDate.of(2027, 3, 27), "23:50");
    var lastOfTheDay = lobby.ticket(general);
    assertEquals("A001", lastOfTheDay.getString("number"));
    clock(LocalDate.of(2027, 3, 28), "00:10");
    assertEquals("A001", lobby.ticket(general).getString("number"));
    CLOCK.set(at(LocalDate.of(2027, 3, 28), "01:59").plus(Duration.ofMinutes(2)));
    assertEquals("03:01", LocalDateTime.ofInstant(CLOCK.instant(), STOCKHOLM).toLocalTime().toString(), "the skipped hour");
    assertEquals("A002", lobby.ticket(general).getString("number"));

    int expired = server.app().queue().closingJob().run().await();
    assertTrue(expired >= 1);
    assertEquals("expired", server.get("/api/v1/tickets/" + lastOfTheDay.getString("id") + "?token="
        + lastOfTheDay.getString("token")).bodyAsJsonObject().getString("status"), "yesterday's waiting ticket expired");
    assertEquals(2L, server.sql("SELECT count(*) FROM ticket WHERE service_point_id = $1 AND status = 'waiting'",
        UUID.fromString(lobby.point)).iterator().next().getLong(0), "today's tickets still wait");
  }

  @Test
  void ticketsStillWaitingAtClosingTimeAreExpired() {
    clock(DAY, "19:50");
    Lobby lobby = new Lobby(server, fx, org, admin, "Nacka Kvällsöppet", new Lobby.Hours("07:00", "20:00"), general);
    var waiting = lobby.ticket(general);
    var job = server.app().queue().closingJob();
    job.run().await();
    assertEquals("waiting", status(waiting), "still open");
    clock(DAY, "20:05");
    assertProblem(server.post("/api/v1/service-points/" + lobby.point + "/tickets", null,
        new JsonObject().put("serviceId", general)), 409);
    job.run().await();
    assertEquals("expired", status(waiting));
  }

  String status(JsonObject ticket) {
    return server.get("/api/v1/tickets/" + ticket.getString("id") + "?token=" + ticket.getString("token"))
        .bodyAsJsonObject().getString("status");
  }

  /**
   * A visitor's place is the same whether it is counted from the index of the waiting (a few
   * visitors: a new ticket's answer, a stream's first state) or ranked with the whole queue (a read
   * of everyone): two services, two channels, booked visitors before and after walk-ins, and
   * arrivals at the same instant told apart by their order of arrival.
   */
  @Test
  void aFewVisitorsCountedFromTheIndexHaveThePlacesTheWholeQueueRanks() {
    clock(DAY.plusDays(1), "10:00");
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
