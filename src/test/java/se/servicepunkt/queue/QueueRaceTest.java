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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * The queue's invariants under many concurrent writers, through the HTTP API of two instances
 * on one real PostgreSQL: ticket numbers are handed out once each and without holes, and every
 * stream on every instance gets every event id of its point once, in order, with none missing.
 */
class QueueRaceTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(TODAY, LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());

  private static final String TICKET_NUMBERS = """
      SELECT t.number FROM ticket t JOIN service s ON s.id = t.service_id
      WHERE t.service_point_id = $1 AND t.local_date = $2 AND s.ticket_letter = $3 ORDER BY t.number""";
  private static final String EVENT_IDS = "SELECT id FROM queue_event WHERE service_point_id = $1 ORDER BY id";
  private static final String DONE = "SELECT count(*) FROM ticket WHERE service_point_id = $1 AND status = 'done'";

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
    org = fx.organisation("Huddinge kommun");
    admin = fx.token(org, "admin", "staff");
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void parallelWalkInsForOneServiceGetTheNumbersOneToNOnceEach() {
    int n = 40;
    String service = Lobby.service(first, admin, "Parkeringstillstånd", "P", "desk");
    Lobby lobby = new Lobby(first, fx, org, admin, "Medborgarkontoret Numrering", service);
    var all = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (int i = 0; i < n; i++) {
      all.add(walkIn(i % 2 == 0 ? first : second, lobby, service));
    }
    Future.join(all).await();

    var numbers = new ArrayList<String>();
    for (var response : all) {
      assertEquals(201, response.result().statusCode(), response.result().bodyAsString());
      numbers.add(response.result().bodyAsJsonObject().getString("number"));
    }
    assertEquals(n, new HashSet<>(numbers).size(), "distinct numbers: " + numbers);
    var expected = IntStream.rangeClosed(1, n).mapToObj(i -> String.format("P%03d", i)).toList();
    assertEquals(expected, numbers.stream().sorted().toList(), "the numbers 1..N, none skipped");
    var stored = new ArrayList<String>();
    first.sql(TICKET_NUMBERS, UUID.fromString(lobby.point), TODAY, "P").forEach(row -> stored.add(row.getString(0)));
    assertEquals(expected, stored, "N tickets in the table, numbered 1..N for the letter and day");
  }

  @Test
  void manyWritersOnTwoInstancesGiveEveryStreamEveryEventIdOnceInOrder() throws Exception {
    String service = Lobby.service(first, admin, "Bostadsanpassning", "H", "desk");
    Lobby lobby = new Lobby(first, fx, org, admin, "Medborgarkontoret Händelser", service);
    var desks = List.of(lobby.desk("Lucka 1", "desk", service), lobby.desk("Lucka 2", "desk", service),
        lobby.desk("Lucka 3", "desk", service), lobby.desk("Lucka 4", "desk", service));
    String display = Fixtures.created(first.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin,
        new JsonObject().put("name", "Skärm entré"))).getString("token");
    String displayPath = "/api/v1/service-points/" + lobby.point + "/display/events?token=" + display;
    String consolePath = "/api/v1/service-points/" + lobby.point + "/queue/events?access_token=" + desks.get(0).token();

    var streams = new LinkedHashMap<String, SseClient>();
    try {
      streams.put("display on the first instance", first.stream(displayPath));
      streams.put("console on the first instance", first.stream(consolePath));
      streams.put("display on the second instance", second.stream(displayPath));
      streams.put("console on the second instance", second.stream(consolePath));
      var from = new LinkedHashMap<String, Long>();
      streams.forEach((name, stream) -> {
        var snapshot = stream.next("snapshot");
        from.put(name, snapshot.idNumber());
      });

      int walkIns = 30;
      int served = load(lobby, service, desks, walkIns);
      assertEquals(walkIns, served, "every visitor called, started and finished once");
      assertEquals((long) walkIns, first.sql(DONE, UUID.fromString(lobby.point)).iterator().next().getLong(0));
      walkIn(second, lobby, service).await(); // the last change: a stream that repeated an earlier event would show it before this

      var stored = new ArrayList<Long>();
      first.sql(EVENT_IDS, UUID.fromString(lobby.point)).forEach(row -> stored.add(row.getLong(0)));
      long max = stored.get(stored.size() - 1);
      assertEquals(LongStream.rangeClosed(1, max).boxed().toList(), stored, "the table holds the ids 1..max, no gaps, no repeats");
      assertEquals(4L * walkIns + 1, max - from.values().iterator().next(), "created, called, started, finished per visitor, and the last walk-in");

      for (var entry : streams.entrySet()) {
        long after = from.get(entry.getKey());
        var received = new ArrayList<Long>();
        long last = after;
        while (last < max) {
          last = entry.getValue().next().idNumber();
          received.add(last);
        }
        assertEquals(stored.subList((int) after, stored.size()), received,
            entry.getKey() + ": every id after its snapshot's (" + after + ") up to " + max + ", once each, in order");
      }
    } finally {
      streams.values().forEach(SseClient::close);
    }
  }

  /**
   * Walk-ins on both instances, while each desk (two on each instance) calls the next visitor,
   * starts and finishes, until the walk-ins are done and nobody waits; returns how many were served.
   */
  private static int load(Lobby lobby, String service, List<Lobby.Desk> desks, int walkIns) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(2 + desks.size());
    try {
      var allIn = new AtomicBoolean();
      var tasks = new ArrayList<Callable<Integer>>();
      tasks.add(() -> {
        var all = new ArrayList<Future<HttpResponse<Buffer>>>();
        try {
          for (int i = 0; i < walkIns; i++) {
            all.add(walkIn(i % 2 == 0 ? first : second, lobby, service));
          }
          Future.join(all).await();
        } finally {
          allIn.set(true); // the desks stop once nobody waits, also when a walk-in failed
        }
        for (var response : all) {
          assertEquals(201, response.result().statusCode(), response.result().bodyAsString());
        }
        return 0;
      });
      for (int i = 0; i < desks.size(); i++) {
        TestServer via = i % 2 == 0 ? first : second;
        Lobby.Desk desk = desks.get(i);
        tasks.add(() -> serve(via, desk, allIn));
      }
      int served = 0;
      for (var result : workers.invokeAll(tasks, 120, TimeUnit.SECONDS)) {
        served += result.get();
      }
      return served;
    } finally {
      workers.shutdownNow();
    }
  }

  /** One desk's work: call, start, finish, again, until {@code allIn} and nobody is left waiting. */
  private static int serve(TestServer via, Lobby.Desk desk, AtomicBoolean allIn) throws InterruptedException {
    int served = 0;
    while (true) {
      boolean lastWalkInWasIn = allIn.get();
      var called = via.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
      if (called.statusCode() == 204) {
        if (lastWalkInWasIn) {
          return served;
        }
        Thread.sleep(5);
        continue;
      }
      assertEquals(200, called.statusCode(), called.bodyAsString());
      String ticket = "/api/v1/tickets/" + called.bodyAsJsonObject().getString("id");
      var started = via.post(ticket + "/start", desk.token(), null);
      assertEquals(200, started.statusCode(), started.bodyAsString());
      var finished = via.post(ticket + "/finish", desk.token(), new JsonObject().put("outcome", "Klart"));
      assertEquals(200, finished.statusCode(), finished.bodyAsString());
      served++;
    }
  }

  private static Future<HttpResponse<Buffer>> walkIn(TestServer via, Lobby lobby, String service) {
    return via.client().post("/api/v1/service-points/" + lobby.point + "/tickets")
        .sendJsonObject(new JsonObject().put("serviceId", service).put("channel", "desk").put("language", "sv"));
  }
}
