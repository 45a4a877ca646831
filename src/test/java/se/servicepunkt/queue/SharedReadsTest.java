package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Streams' reads are bounded by points, not by streams: screens share one snapshot while nothing
 * happens at their point, and all of a point's visitors get their new places from one read per
 * change, whichever event loop their streams are on (two HTTP event loops here).
 */
class SharedReadsTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate TODAY = LocalDate.of(2026, 12, 3);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(TODAY, LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());

  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("httpInstances", 2, "streamsPerDisplay", 50, "streamsPerAddress", 500), CLOCK);
    fx = new Fixtures(server);
    org = fx.organisation("Botkyrka kommun");
    admin = fx.token(org, "admin", "staff");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The display stream's path of a new display token at the lobby. */
  private static String displayPath(Lobby lobby) {
    String token = Fixtures.created(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin,
        new JsonObject().put("name", "Entré"))).getString("token");
    return "/api/v1/service-points/" + lobby.point + "/display/events?token=" + token;
  }

  private QueueStreams streams() {
    return server.app().queue().streams();
  }

  @Test
  void screensAtOnePointShareOneSnapshotWhileNothingHappens() {
    String service = Lobby.service(server, admin, "Färdtjänst", "F", "desk");
    Lobby lobby = new Lobby(server, fx, org, admin, "Medborgarkontor Alby", service);
    String path = displayPath(lobby);
    var screens = new ArrayList<SseClient>();
    try {
      long before = streams().snapshotReads();
      screens.add(server.stream(path));
      var first = screens.get(0).next("snapshot");
      for (int i = 1; i < 20; i++) {
        screens.add(server.stream(path));
      }
      for (var screen : screens.subList(1, screens.size())) {
        var snapshot = screen.next("snapshot");
        assertEquals(first.id(), snapshot.id(), "the same state, the same last event id");
        assertEquals(first.data(), snapshot.data());
      }
      assertEquals(1, streams().snapshotReads() - before, "20 screens, one snapshot read");

      lobby.ticket(service); // an event: the next screen needs a newer snapshot
      screens.forEach(screen -> screen.next("ticket-created"));
      screens.add(server.stream(path));
      var after = screens.get(screens.size() - 1).next("snapshot");
      assertTrue(after.idNumber() > first.idNumber(), "a snapshot that includes the new ticket");
      assertEquals(2, streams().snapshotReads() - before);
    } finally {
      screens.forEach(SseClient::close);
    }
  }

  /**
   * The pace of a point's queues (open counters, minutes per visitor) is read once for the walk-ins
   * of a second, not once for each; a counter opened on this instance is in the very next answer.
   */
  @Test
  void walkInsShareOneReadOfThePaceAndACounterOpenedHereShowsInTheNextAnswer() {
    String service = Lobby.service(server, admin, "Parkeringstillstånd", "P", "desk");
    Lobby lobby = new Lobby(server, fx, org, admin, "Medborgarkontor Vårby", service);
    Paces paces = server.app().queue().paces();
    long before = paces.reads();
    long started = System.nanoTime();
    for (int i = 0; i < 12; i++) {
      assertEquals(null, lobby.ticket(service).getValue("estimatedWaitMinutes"), "no counter open, no estimate");
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    long reads = paces.reads() - before;
    assertTrue(reads >= 1 && reads <= 1 + seconds * 1000 / Paces.FRESH_MILLIS,
        "12 walk-ins in " + seconds + " s read the pace " + reads + " times");

    lobby.desk("Lucka 1", "desk", service);
    assertEquals(240, lobby.ticket(service).getInteger("estimatedWaitMinutes"),
        "12 ahead, 20 minutes each, one counter: known at once");
  }

  @Test
  void everyVisitorAtAPointGetsTheirNewPlaceFromOneReadPerChange() throws Exception {
    String service = Lobby.service(server, admin, "Bygglov", "B", "desk");
    Lobby lobby = new Lobby(server, fx, org, admin, "Medborgarkontor Fittja", service);
    int n = 30;
    var tickets = new ArrayList<JsonObject>();
    for (int i = 0; i < n; i++) {
      tickets.add(lobby.ticket(service));
    }
    var visitors = new ArrayList<SseClient>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      long before = streams().visitorReads();
      var opening = new ArrayList<Future<SseClient>>();
      for (var ticket : tickets) {
        String path = "/api/v1/tickets/" + ticket.getString("id") + "/events?token=" + ticket.getString("token");
        opening.add(pool.submit(() -> server.stream(path)));
      }
      for (int i = 0; i < n; i++) {
        visitors.add(opening.get(i).get());
        var snapshot = visitors.get(i).next("snapshot").json();
        assertEquals(i + 1, snapshot.getInteger("position"), "each visitor's own place in the snapshot");
      }
      long opened = streams().visitorReads() - before;
      assertTrue(opened < n, n + " visitors opening at once share reads: " + opened);
      assertEquals(1, server.app().live().subscribers(java.util.UUID.fromString(lobby.point)),
          "the point's events are heard once for all " + n + " visitors, not handed to each stream");

      var desk = lobby.desk("Lucka 1", "desk", service);
      for (var visitor : visitors) { // an open counter gives every visitor an estimated wait
        nextUpdate(visitor, u -> u.getValue("estimatedWaitMinutes") != null);
      }
      long quiet = streams().visitorReads();
      long quietEveryone = streams().visitorReadsOfEveryone();
      assertEquals(tickets.get(0).getString("number"), lobby.callNext(desk));
      nextUpdate(visitors.get(0), u -> "called".equals(u.getString("status")));
      for (int i = 1; i < n; i++) {
        int moved = i;
        nextUpdate(visitors.get(i), u -> u.getInteger("position") == moved); // everyone after the called visitor moves up one
      }
      assertEquals(1, streams().visitorReadsOfEveryone() - quietEveryone, "one change, one read for all " + n + " visitors");
      assertEquals(2, streams().visitorReads() - quiet, "and one of the called visitor alone");
    } finally {
      pool.shutdownNow();
      visitors.forEach(SseClient::close);
    }
  }

  /** A new lobby with one desk service and two visitors waiting in it, first and second. */
  private record TwoWaiting(Lobby lobby, String service, UUID point, UUID first, UUID second) {
    static TwoWaiting at(String serviceName, String letter, String pointName) {
      String service = Lobby.service(server, admin, serviceName, letter, "desk");
      Lobby lobby = new Lobby(server, fx, org, admin, pointName, service);
      return new TwoWaiting(lobby, service, UUID.fromString(lobby.point),
          UUID.fromString(lobby.ticket(service).getString("id")), UUID.fromString(lobby.ticket(service).getString("id")));
    }

    /** Both visitors watched through {@code states} (each first read done); what each hears is in its list. */
    Heard watchedBy(VisitorStates states) throws Exception {
      var heard = new Heard(states, point, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new ArrayList<>());
      var context = server.vertx().getOrCreateContext();
      heard.watchers().add(new VisitorStates.Watcher(first, context, heard.first()::add));
      heard.watchers().add(new VisitorStates.Watcher(second, context, heard.second()::add));
      for (var watcher : heard.watchers()) {
        states.watch(point, watcher).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      return heard;
    }
  }

  /** The reads each of two watched visitors heard; closing stops watching them. */
  private record Heard(VisitorStates states, UUID point, List<VisitorStates.Read> first, List<VisitorStates.Read> second,
                       List<VisitorStates.Watcher> watchers) implements AutoCloseable {
    @Override
    public void close() {
      watchers.forEach(w -> states.unwatch(point, w));
    }
  }

  /**
   * A watched visitor whom an event names (here: called) gets their new state from a read of just
   * them, at once, while the read of everyone waits for its spacing (a minute here); the other
   * visitor hears nothing until then.
   */
  @Test
  void aCalledVisitorIsReadAloneAtOnceWhileTheReadOfEveryoneWaitsForItsSpacing() throws Exception {
    var two = TwoWaiting.at("Färdtjänst", "F", "Medborgarkontor Tumba");
    UUID point = two.point();
    UUID first = two.first();
    var asked = new CopyOnWriteArrayList<List<UUID>>();
    VisitorStates.Reader reader = (at, ids) -> {
      asked.add(ids);
      var states = new HashMap<UUID, JsonObject>();
      ids.forEach(id -> states.put(id, new JsonObject().put("read", asked.size())));
      return io.vertx.core.Future.succeededFuture(new VisitorStates.States(asked.size(), states));
    };
    var minute = Duration.ofMinutes(1);
    var states = new VisitorStates(server.app().live(), reader, server.vertx(),
        new VisitorStates.Spacing(minute, Duration.ZERO, minute), Duration.ofMillis(10),
        VisitorStates.PlaceUpdates.EVERY_READ);
    try (var heard = two.watchedBy(states)) {
      LiveStreamTest.assertEventually(() -> server.app().live().subscribers(point) == 1,
          "the visitors' listener follows the point");
      var desk = two.lobby().desk("Lucka 1", "desk", two.service()); // a counter opens: the first read of everyone, at once
      LiveStreamTest.assertEventually(() -> states.readsOfEveryone() == 1 && heard.second().size() >= 2,
          "the read of everyone after the opening");
      int secondHeard = heard.second().size();
      int askedBefore = asked.size();

      two.lobby().callNext(desk);
      LiveStreamTest.assertEventually(
          () -> heard.first().stream().anyMatch(r -> r.states().keySet().equals(java.util.Set.of(first))),
          "the called visitor's own read reaches their stream");
      assertEquals(List.of(first), asked.get(askedBefore), "the called visitor is read alone");
      Thread.sleep(500);
      assertEquals(1, states.readsOfEveryone(), "the read of everyone waits for its spacing");
      assertEquals(secondHeard, heard.second().size(), "the other visitor hears nothing until then");
    }
  }

  /**
   * A visitor far back hears of a new place only when it is due (here every 2 s from the 200th
   * place), while one near the front hears each; anything else that changes in a far-back state
   * goes with the next read.
   */
  @Test
  void aVisitorFarBackHearsANewPlaceLessOftenThanOneNearTheFront() throws Exception {
    var two = TwoWaiting.at("Bostadsanpassning", "B", "Medborgarkontor Skärholmen");
    UUID near = two.first();
    UUID far = two.second();
    var reads = new java.util.concurrent.atomic.AtomicInteger();
    var farLink = new java.util.concurrent.atomic.AtomicReference<String>();
    VisitorStates.Reader reader = (at, ids) -> {
      int n = reads.incrementAndGet();
      var states = new HashMap<UUID, JsonObject>();
      for (UUID id : ids) {
        boolean isNear = id.equals(near);
        states.put(id, new JsonObject().put("status", "waiting").put("position", isNear ? 1 + n % 5 : 900 - n)
            .put("estimatedWaitMinutes", isNear ? 1 : 90 - n / 10).put("videoLink", isNear ? null : farLink.get()));
      }
      return io.vertx.core.Future.succeededFuture(new VisitorStates.States(n, states));
    };
    var states = new VisitorStates(server.app().live(), reader, server.vertx(),
        new VisitorStates.Spacing(Duration.ofMillis(20), Duration.ZERO, Duration.ofMillis(20)), Duration.ofMillis(10),
        new VisitorStates.PlaceUpdates(10, Duration.ofMillis(10), Duration.ofSeconds(2)));
    long started = System.nanoTime();
    try (var heard = two.watchedBy(states)) {
      LiveStreamTest.assertEventually(() -> heard.second().size() == 1 && heard.first().size() == 1, "each visitor's first state");
      for (int i = 0; i < 4; i++) { // each walk-in moves everyone's place: a read of everyone each
        long before = states.readsOfEveryone();
        two.lobby().ticket(two.service());
        LiveStreamTest.assertEventually(() -> states.readsOfEveryone() > before, "a read of everyone after a walk-in");
      }
      LiveStreamTest.assertEventually(() -> heard.first().size() >= 5, "the visitor near the front hears each new place");
      assertTrue(System.nanoTime() - started < Duration.ofMillis(1800).toNanos(), "the walk-ins came within the far visitor's gap");
      assertEquals(1, heard.second().size(), "the visitor far back does not hear each new place");

      long readsBefore = states.readsOfEveryone();
      LiveStreamTest.assertEventually(() -> heard.second().size() == 2, "the last place read, once it is due");
      assertEquals(readsBefore, states.readsOfEveryone(), "handed out as read, without another read");
      assertEquals(900 - reads.get(), new JsonObject(heard.second().get(1).states().get(far)).getInteger("position"),
          "the newest place read");

      farLink.set("https://video.example/room"); // more than the place changes: it goes with the next read
      two.lobby().ticket(two.service());
      LiveStreamTest.assertEventually(() -> heard.second().size() == 3, "a change beyond the place goes at once");
      assertTrue(heard.second().get(2).states().get(far).contains("video.example"));
    }
  }

  @Test
  void aBurstOfChangesCostsTheScreensAFewSummaryReadsAndEndsOnTheLastCount() throws InterruptedException {
    String service = Lobby.service(server, admin, "Hemtjänst", "H", "desk");
    Lobby lobby = new Lobby(server, fx, org, admin, "Medborgarkontor Hallunda", service);
    String path = displayPath(lobby);
    var screens = new ArrayList<SseClient>();
    try {
      for (int i = 0; i < 10; i++) {
        screens.add(server.stream(path));
        screens.get(i).next("snapshot");
      }
      long before = streams().summaryReads();
      long started = System.nanoTime();
      int burst = 40;
      for (int i = 0; i < burst; i++) {
        lobby.ticket(service);
      }
      for (var screen : screens) {
        LiveStreamTest.waitingFrame(screen, burst); // each screen ends on the count after the last walk-in
      }
      long reads = streams().summaryReads() - before;
      long intervals = (System.nanoTime() - started) / QueueStreams.SUMMARY_READS_APART.toNanos();
      assertTrue(reads <= intervals + 2, burst + " walk-ins in " + intervals + " intervals, " + reads
          + " summary reads for 10 screens: at most one an interval, not one a change or a screen");

      // a screen that resumes after missing events gets the summary of now, not only the events
      long seen = screens.get(0).next("ticket-created").idNumber();
      screens.get(0).close();
      lobby.ticket(service);
      LiveStreamTest.waitingFrame(screens.get(1), burst + 1); // the read after that walk-in is over,
      Thread.sleep(3 * QueueStreams.SUMMARY_READS_APART.toMillis()); // and any read asked for meanwhile
      var resumed = server.stream(path, Map.of("Last-Event-ID", Long.toString(seen)));
      screens.add(resumed);
      assertEquals("ticket-created", resumed.next().event(), "the missed event, no snapshot");
      LiveStreamTest.waitingFrame(resumed, burst + 1);
    } finally {
      screens.forEach(SseClient::close);
    }
  }

  /** The visitor's next state that {@code wanted} accepts (states in between are skipped). */
  private static JsonObject nextUpdate(SseClient visitor, java.util.function.Predicate<JsonObject> wanted) {
    while (true) {
      var update = visitor.next("ticket").json();
      if (wanted.test(update)) {
        return update;
      }
    }
  }
}
