package se.servicepunkt.bench;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live queue benchmark: many reception screens (display streams) held by one server instance,
 * and the time from a counter's call-next to the {@code ticket-called} event arriving at every
 * screen of that service point. The server runs in its own process (see {@code src/bench/live.sh},
 * which starts it and passes its pid, so its memory is measured alone); this client sets up the
 * points over HTTP, opens the screens as plain TCP connections reading {@code text/event-stream},
 * and then calls visitors one at a time, point after point.
 *
 * <pre>src/bench/live.sh --screens 10000 --points 34 --calls 100</pre>
 *
 * <p>With {@code --consoles}, busy lobbies instead (issue 12): counter consoles and screens at a
 * few points, every counter calling every two seconds; see {@link #consolesAndScreens}.
 *
 * <pre>src/bench/live.sh --consoles 200 --screens 50 --points 10 --seconds 60 --every-ms 2000</pre>
 */
public final class LiveBenchmark {
  private static final Pattern CALLED = Pattern.compile("event: ticket-called\ndata: [^\n]*\"number\":\"([A-Z][0-9]+)\"");
  private static final String PASSWORD = "benchmark-password-long-enough";

  public static void main(String[] args) throws Exception {
    var options = options(args);
    int port = Integer.parseInt(options.getOrDefault("port", "18080"));
    long pid = Long.parseLong(options.getOrDefault("pid", "0"));
    int screens = Integer.parseInt(options.getOrDefault("screens", "10000"));
    int points = Integer.parseInt(options.getOrDefault("points", "34"));
    int calls = Integer.parseInt(options.getOrDefault("calls", "100"));
    String db = options.get("db");

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    var http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
    PgConnectOptions pg = PgConnectOptions.fromUri(db);
    Pool pool = PgBuilder.pool().connectingTo(pg).using(vertx).build();
    if (options.containsKey("consoles")) {
      try {
        consolesAndScreens(vertx, http, pool, options, port, pid);
      } finally {
        vertx.close().await();
      }
      return;
    }
    try {
      var setup = setUp(http, pool, points, options.get("admin-email"), options.get("admin-password"));
      System.out.printf("setup: %d service points, %d screens (%d per point), server pid %d%n", points, screens,
          screens / points, pid);
      System.out.printf("server RSS before screens: %d MB%n", rssMb(pid));

      var net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
      var screenList = new ArrayList<Screen>(screens);
      long t0 = System.nanoTime();
      connect(net, port, setup, screens, screenList);
      System.out.printf("connected %d screens in %.1f s (each got its snapshot)%n", screenList.size(),
          (System.nanoTime() - t0) / 1e9);
      Thread.sleep(5_000);
      System.out.printf("server RSS with %d screens connected: %d MB%n", screenList.size(), rssMb(pid));

      var latencies = new long[calls * (screens / points + 1)];
      var callTimes = new long[calls];
      var count = new AtomicInteger();
      for (int round = 0; round < calls; round++) {
        Point point = setup.points().get(round % points);
        var ticket = http.post("/api/v1/service-points/" + point.id() + "/tickets")
            .sendJsonObject(new JsonObject().put("serviceId", setup.service())).await();
        check(ticket, 201);
        String number = ticket.bodyAsJsonObject().getString("number");
        Thread.sleep(20);
        var waiting = new CountDownLatch(point.screens().size());
        long sent = System.nanoTime();
        for (Screen screen : point.screens()) {
          screen.expect(number, sent, waiting, latencies, count);
        }
        check(http.post("/api/v1/counters/" + point.counter() + "/call-next")
            .putHeader("Authorization", "Bearer " + point.staffToken()).send().await(), 200);
        callTimes[round] = System.nanoTime() - sent;
        if (!waiting.await(10, TimeUnit.SECONDS)) {
          System.out.printf("round %d: %d screens did not get the call within 10 s%n", round, waiting.getCount());
        }
      }
      long[] sorted = Arrays.copyOf(latencies, count.get());
      Arrays.sort(sorted);
      System.out.printf("push latency, call-next sent to ticket-called received, %d deliveries over %d calls: "
              + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.length, calls,
          ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99), ms(sorted, 1.0));
      Arrays.sort(callTimes);
      System.out.printf("call-next answered: p50 %.1f ms, p99 %.1f ms%n", ms(callTimes, 0.5), ms(callTimes, 0.99));
      long missing = (long) calls * (screens / points) - sorted.length;
      System.out.printf("missed deliveries: %d; server RSS after the calls: %d MB%n", Math.max(0, missing), rssMb(pid));
    } finally {
      vertx.close().await();
    }
  }

  record Setup(String service, List<Point> points) {
  }

  // ---- consoles and screens of busy lobbies (issue 12) ------------------------------------------

  /**
   * Counter consoles (staff streams) and reception screens (display streams) at a few busy points,
   * every counter calling the next visitor every {@code everyMs} (staggered): for each call, the
   * time until the {@code ticket-called} event reaches the other consoles of its point and its
   * screens, and the server's RSS. Tickets are taken beforehand, so the run is calls only.
   */
  static void consolesAndScreens(Vertx vertx, WebClient http, Pool pool, Map<String, String> options, int port,
                                 long pid) throws Exception {
    int consoles = Integer.parseInt(options.getOrDefault("consoles", "200"));
    int screens = Integer.parseInt(options.getOrDefault("screens", "50"));
    int points = Integer.parseInt(options.getOrDefault("points", "10"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
    int everyMs = Integer.parseInt(options.getOrDefault("every-ms", "2000"));
    int perPoint = consoles / points;
    int ticketsPerPoint = perPoint * (seconds * 1000 / everyMs + 2);
    var setup = setUp(http, pool, points, perPoint, options.get("admin-email"), options.get("admin-password"));
    System.out.printf("setup: %d service points, %d counters with a console each (%d per point), %d screens, "
        + "a call every %d ms per counter for %d s; server pid %d%n", points, consoles, perPoint, screens, everyMs,
        seconds, pid);
    long t0 = System.nanoTime();
    takeTickets(http, setup, ticketsPerPoint);
    System.out.printf("took %d tickets in %.1f s%n", ticketsPerPoint * points, (System.nanoTime() - t0) / 1e9);
    System.out.printf("server RSS before streams: %d MB%n", rssMb(pid));

    var sent = new java.util.concurrent.ConcurrentHashMap<String, Long>(); // point/counter name -> call sent at
    var toConsoles = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
    var toScreens = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
    var net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
    var streams = new ArrayList<java.util.function.Supplier<Future<Void>>>();
    for (var point : setup.points()) {
      for (var counter : point.counters()) {
        streams.add(() -> follow(net, port, "/api/v1/service-points/" + point.id() + "/queue/events?access_token="
            + counter.staffToken(), point.id(), counter.name(), sent, toConsoles));
      }
    }
    for (int i = 0; i < screens; i++) {
      var point = setup.points().get(i % points);
      streams.add(() -> follow(net, port, "/api/v1/service-points/" + point.id() + "/display/events?token="
          + point.displayToken(), point.id(), null, sent, toScreens));
    }
    // 16 at a time: each staff stream's sign-in check waits for the request pool, whose queue is bounded
    var lanes = new ArrayList<Future<Void>>();
    for (int lane = 0; lane < 16; lane++) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = lane; i < streams.size(); i += 16) {
        var open = streams.get(i);
        chain = chain.compose(v -> open.get());
      }
      lanes.add(chain);
    }
    Future.all(lanes).await();
    System.out.printf("connected %d consoles and %d screens (each got its snapshot)%n", consoles, screens);
    Thread.sleep(3_000);
    System.out.printf("server RSS with the streams connected: %d MB%n", rssMb(pid));

    var answered = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
    var calledCount = new AtomicInteger();
    var failed = new AtomicInteger();
    var timers = new ArrayList<Long>();
    var random = new java.util.Random(12);
    for (var point : setup.points()) {
      for (var counter : point.counters()) {
        String key = point.id() + "/" + counter.name();
        timers.add(vertx.setTimer(1 + random.nextInt(everyMs), first -> timers.add(vertx.setPeriodic(0, everyMs, tick -> {
          long at = System.nanoTime();
          sent.put(key, at);
          http.post("/api/v1/counters/" + counter.id() + "/call-next")
              .putHeader("Authorization", "Bearer " + counter.staffToken()).send().onComplete(r -> {
                answered.add(System.nanoTime() - at);
                if (r.succeeded() && r.result().statusCode() == 200) {
                  calledCount.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                }
              });
        }))));
      }
    }
    long runStart = System.nanoTime();
    long peak = 0;
    while (System.nanoTime() - runStart < TimeUnit.SECONDS.toNanos(seconds)) {
      Thread.sleep(1_000);
      peak = Math.max(peak, rssMb(pid));
    }
    synchronized (timers) {
      timers.forEach(vertx::cancelTimer);
    }
    Thread.sleep(3_000);
    int calls = calledCount.get();
    System.out.printf("calls made: %d (%.1f a second), refused or empty: %d%n", calls, calls / (double) seconds,
        failed.get());
    report("call-next sent to ticket-called at the point's other consoles", toConsoles, (long) calls * (perPoint - 1));
    report("call-next sent to ticket-called at the point's screens", toScreens, (long) calls * screens / points);
    long[] answers = answered.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("call-next answered: p50 %.1f ms, p99 %.1f ms%n", ms(answers, 0.5), ms(answers, 0.99));
    System.out.printf("server RSS: peak during the calls %d MB, after %d MB%n", peak, rssMb(pid));
  }

  private static void report(String what, java.util.Collection<Long> latencies, long expected) {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("%s: %d deliveries (%d expected): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", what,
        sorted.length, expected, ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99), ms(sorted, 1.0));
  }

  /**
   * Opens one stream as a plain TCP connection; completes once its snapshot came. Each
   * {@code ticket-called} it then receives is timed against the call its counter sent (a console
   * does not time the calls of its own counter: it is the one that made them).
   */
  private static Future<Void> follow(NetClient net, int port, String path, String point, String ownCounter,
                                     Map<String, Long> sent, java.util.Collection<Long> latencies) {
    var snapshot = Promise.<Void>promise();
    var text = new StringBuilder();
    return net.connect(port, "127.0.0.1").compose(socket -> {
      socket.handler(chunk -> {
        long now = System.nanoTime();
        text.append(chunk.toString());
        int end;
        while ((end = text.indexOf("\n\n")) >= 0) {
          String event = text.substring(0, end);
          text.delete(0, end + 2);
          if (event.contains("event: snapshot")) {
            snapshot.tryComplete();
          }
          int data = event.indexOf("data: ");
          if (!event.contains("event: ticket-called") || data < 0) {
            continue;
          }
          String json = event.substring(data + 6, event.indexOf('\n', data) < 0 ? event.length() : event.indexOf('\n', data));
          String counter = new JsonObject(json).getJsonObject("ticket").getString("counterName");
          Long at = sent.get(point + "/" + counter);
          if (at != null && !counter.equals(ownCounter)) {
            latencies.add(now - at);
          }
        }
      });
      socket.closeHandler(v -> snapshot.tryFail("closed"));
      return socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
    }).compose(v -> snapshot.future());
  }

  /** Walk-in tickets at every point, taken 16 at a time. */
  private static void takeTickets(WebClient http, LobbySetup setup, int perPoint) {
    var all = new ArrayList<String>();
    for (var point : setup.points()) {
      for (int i = 0; i < perPoint; i++) {
        all.add(point.id());
      }
    }
    var next = new AtomicInteger();
    var lanes = new ArrayList<Future<Void>>();
    for (int lane = 0; lane < 16; lane++) {
      var done = Promise.<Void>promise();
      takeNext(http, setup.service(), all, next, done);
      lanes.add(done.future());
    }
    Future.all(lanes).await();
  }

  private static void takeNext(WebClient http, String service, List<String> all, AtomicInteger next, Promise<Void> lane) {
    int i = next.getAndIncrement();
    if (i >= all.size()) {
      lane.complete();
      return;
    }
    http.post("/api/v1/service-points/" + all.get(i) + "/tickets").sendJsonObject(new JsonObject().put("serviceId", service))
        .onComplete(r -> {
          if (r.failed() || r.result().statusCode() != 201) {
            lane.fail(r.failed() ? r.cause().toString() : r.result().bodyAsString());
          } else {
            takeNext(http, service, all, next, lane);
          }
        });
  }

  record LobbySetup(String service, List<LobbyPoint> points) {
  }

  record LobbyPoint(String id, String displayToken, List<LobbyCounter> counters) {
  }

  record LobbyCounter(String id, String name, String staffToken) {
  }

  /** Points open around the clock, each with {@code counters} counters held by a member of staff each, and a display token. */
  private static LobbySetup setUp(WebClient http, Pool pool, int points, int counters, String sysEmail, String sysPassword) {
    var bench = organisation(http, pool, sysEmail, sysPassword);
    String serviceId = bench.service();
    var list = new ArrayList<LobbyPoint>();
    for (int i = 0; i < points; i++) {
      String id = openPoint(http, bench, "Lobby " + i);
      var held = new ArrayList<LobbyCounter>();
      for (int c = 0; c < counters; c++) {
        held.add(staffedCounter(http, pool, bench, id, "Lucka " + (c + 1)));
      }
      list.add(new LobbyPoint(id, displayToken(http, bench, id), held));
    }
    return new LobbySetup(serviceId, list);
  }


  record Point(String id, String counter, String staffToken, String displayToken, List<Screen> screens) {
  }

  /** One screen: a TCP connection reading the display stream, waiting for the call of a given number. */
  static final class Screen {
    private final StringBuilder text = new StringBuilder();
    private final Promise<Void> snapshot = Promise.promise();
    private volatile String expected;
    private volatile long sentAt;
    private volatile CountDownLatch latch;
    private volatile long[] latencies;
    private volatile AtomicInteger count;

    synchronized void expect(String number, long sent, CountDownLatch latch, long[] latencies, AtomicInteger count) {
      this.expected = number;
      this.sentAt = sent;
      this.latch = latch;
      this.latencies = latencies;
      this.count = count;
    }

    synchronized void received(Buffer chunk) {
      long now = System.nanoTime();
      text.append(chunk.toString());
      if (!snapshot.future().isComplete() && text.indexOf("event: snapshot") >= 0) {
        snapshot.tryComplete();
      }
      Matcher m = CALLED.matcher(text);
      int consumed = 0;
      while (m.find()) {
        consumed = m.end();
        if (m.group(1).equals(expected)) {
          latencies[count.getAndIncrement()] = now - sentAt;
          expected = null;
          latch.countDown();
        }
      }
      int keep = text.lastIndexOf("\n\n");
      text.delete(0, Math.max(consumed, keep < 0 ? 0 : keep));
    }
  }

  private static void connect(NetClient net, int port, Setup setup, int screens, List<Screen> all) {
    int inFlight = 64;
    var next = new AtomicInteger();
    var done = new ArrayList<Future<Void>>();
    for (int lane = 0; lane < inFlight; lane++) {
      var promise = Promise.<Void>promise();
      connectNext(net, port, setup, screens, next, all, promise);
      done.add(promise.future());
    }
    Future.all(done).await();
  }

  private static void connectNext(NetClient net, int port, Setup setup, int screens, AtomicInteger next,
                                  List<Screen> all, Promise<Void> lane) {
    int i = next.getAndIncrement();
    if (i >= screens) {
      lane.complete();
      return;
    }
    Point point = setup.points().get(i % setup.points().size());
    var screen = new Screen();
    net.connect(port, "127.0.0.1").compose(socket -> {
      socket.handler(screen::received);
      socket.closeHandler(v -> screen.snapshot.tryFail("closed"));
      return socket.write("GET /api/v1/service-points/" + point.id() + "/display/events?token=" + point.displayToken()
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
    }).compose(v -> screen.snapshot.future()).onComplete(r -> {
      if (r.failed()) {
        lane.fail(r.cause());
        return;
      }
      synchronized (all) {
        all.add(screen);
        point.screens().add(screen);
      }
      connectNext(net, port, setup, screens, next, all, lane);
    });
  }

  private static Setup setUp(WebClient http, Pool pool, int points, String sysEmail, String sysPassword) {
    var bench = organisation(http, pool, sysEmail, sysPassword);
    String serviceId = bench.service();
    var list = new ArrayList<Point>();
    for (int i = 0; i < points; i++) {
      String id = openPoint(http, bench, "Punkt " + i);
      var counter = staffedCounter(http, pool, bench, id, "Lucka " + (i + 1));
      list.add(new Point(id, counter.id(), counter.staffToken(), displayToken(http, bench, id), new ArrayList<>()));
    }
    return new Setup(serviceId, list);
  }

  private static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());

  private static String account(Pool pool, String org, String... roles) {
    String email = "bench-" + UUID.randomUUID() + "@bench.example";
    pool.preparedQuery("INSERT INTO staff (organisation_id, email, display_name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(UUID.fromString(org), email, "Bench", HASH, roles)).await();
    return email;
  }

  private static String signIn(WebClient http, String email, String password) {
    var response = http.post("/api/v1/auth/login").sendJsonObject(new JsonObject().put("email", email).put("password", password))
        .await();
    check(response, 200);
    return response.bodyAsJsonObject().getString("accessToken");
  }

  private static void check(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": " + response.bodyAsString());
    }
  }

  static long rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private static Map<String, String> options(String[] args) {
    var options = new HashMap<String, String>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }

  /** The benchmark's organisation: its id, an admin's token and its one walk-in service. */
  record BenchOrganisation(String id, String admin, String service) {
  }

  private static BenchOrganisation organisation(WebClient http, Pool pool, String sysEmail, String sysPassword) {
    String sysadmin = signIn(http, sysEmail, sysPassword);
    var org = http.post("/api/v1/organisations").putHeader("Authorization", "Bearer " + sysadmin)
        .sendJsonObject(new JsonObject().put("name", "Benchmark " + UUID.randomUUID())).await();
    check(org, 201);
    String orgId = org.bodyAsJsonObject().getString("id");
    String admin = signIn(http, account(pool, orgId, "admin", "staff"), PASSWORD);
    var service = http.post("/api/v1/services").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("nameSv", "Ärende").put("nameEn", "Errand").put("ticketLetter", "A")
            .put("durationMinutes", 15).put("channels", new JsonArray().add("desk"))).await();
    check(service, 201);
    return new BenchOrganisation(orgId, admin, service.bodyAsJsonObject().getString("id"));
  }

  /** A new point of the organisation, open around the clock, offering its service; returns its id. */
  private static String openPoint(WebClient http, BenchOrganisation bench, String name) {
    var week = new JsonArray();
    for (int day = 1; day <= 7; day++) {
      week.add(new JsonObject().put("weekday", day).put("opens", "00:00").put("closes", "23:59"));
    }
    var point = http.post("/api/v1/service-points").putHeader("Authorization", "Bearer " + bench.admin())
        .sendJsonObject(new JsonObject().put("name", name).put("kind", "office").put("timeZone", "Europe/Stockholm"))
        .await();
    check(point, 201);
    String id = point.bodyAsJsonObject().getString("id");
    check(http.put("/api/v1/service-points/" + id + "/opening-hours").putHeader("Authorization", "Bearer " + bench.admin())
        .sendJsonObject(new JsonObject().put("weeklyHours", week)).await(), 200);
    check(http.put("/api/v1/service-points/" + id + "/services/" + bench.service())
        .putHeader("Authorization", "Bearer " + bench.admin()).send().await(), 204);
    return id;
  }

  /** A new desk counter at the point, opened by a new member of staff with the service's skill. */
  private static LobbyCounter staffedCounter(WebClient http, Pool pool, BenchOrganisation bench, String point, String name) {
    var counter = http.post("/api/v1/service-points/" + point + "/counters").putHeader("Authorization", "Bearer " + bench.admin())
        .sendJsonObject(new JsonObject().put("name", name).put("channel", "desk")).await();
    check(counter, 201);
    String counterId = counter.bodyAsJsonObject().getString("id");
    String email = account(pool, bench.id(), "staff");
    String staffId = pool.preparedQuery("SELECT id FROM staff WHERE email = $1").execute(Tuple.of(email)).await()
        .iterator().next().getUUID(0).toString();
    http.put("/api/v1/staff/" + staffId + "/skills").putHeader("Authorization", "Bearer " + bench.admin())
        .sendJsonObject(new JsonObject().put("serviceIds", new JsonArray().add(bench.service()))).await();
    String staff = signIn(http, email, PASSWORD);
    check(http.post("/api/v1/counters/" + counterId + "/session").putHeader("Authorization", "Bearer " + staff)
        .send().await(), 200);
    return new LobbyCounter(counterId, name, staff);
  }

  /** A new display token of the point. */
  private static String displayToken(WebClient http, BenchOrganisation bench, String point) {
    var display = http.post("/api/v1/service-points/" + point + "/display-tokens").putHeader("Authorization", "Bearer " + bench.admin())
        .sendJsonObject(new JsonObject().put("name", "Skärm")).await();
    check(display, 201);
    return display.bodyAsJsonObject().getString("token");
  }
}
