package se.servicepunkt.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestDatabase;
import se.servicepunkt.testing.TestServer;

/**
 * Booking benchmark: a server with one service point, one 15-minute service and 10 staff on
 * shifts 08:00–18:00 for 70 days. Measures 14-day availability latency (before and after the
 * booking run), then bookings over HTTP with many concurrent clients picking random slots of the
 * first 56 days (after a warm-up of {@code --warmup} seconds, 5 by default, booking the last 14),
 * and finally checks that no member of staff is double-booked.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=se.servicepunkt.bench.BookingBenchmark \
 *   -Dexec.args="--clients 64 --seconds 10 --availability 2000"</pre>
 */
public final class BookingBenchmark {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final int STAFF = 10;
  /** Availability is measured over 14 days; bookings are taken over 56, so a 10 s run does not run out. */
  static final int DAYS = 14;
  static final int BOOKABLE_DAYS = 56;
  /**
   * The warm-up books the 14 days after those 56, so the measured run and the availability
   * measured after it see the same calendar as without it.
   */
  static final int WARM_UP_DAYS = 14;

  public static void main(String[] args) {
    TestDatabase.durable();
    var options = options(args);
    int clients = options.getOrDefault("clients", 64);
    int seconds = options.getOrDefault("seconds", 10);
    int availabilityRequests = options.getOrDefault("availability", 2000);
    int availabilityConcurrency = options.getOrDefault("availability-concurrency", 4);
    int pool = options.getOrDefault("pool", 8);
    int warmUpSeconds = options.getOrDefault("warmup", 5);

    try (var server = TestServer.start(Map.of("httpInstances", 2, "dbPoolSize", pool))) {
      var fx = new Fixtures(server);
      var setup = setUp(server, fx);
      var vertx = Vertx.vertx();
      var client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
          .setDefaultPort(server.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(clients));
      try {
        String availability = "/api/v1/availability?servicePoint=" + setup.point() + "&service=" + setup.service()
            + "&channel=desk&from=" + setup.first() + "&to=" + setup.first().plusDays(DAYS - 1);
        int slots = client.get(availability).send().await().bodyAsJsonObject().getJsonArray("slots").size();
        System.out.printf("setup: %d staff; availability over %d days (%d slot times); bookings over %d days (capacity %d)%n",
            STAFF, DAYS, slots, BOOKABLE_DAYS, setup.starts().size() * STAFF);
        measure(client, availability, 1000, availabilityConcurrency); // warm-up: let the JIT compile the hot path
        var empty = measure(client, availability, availabilityRequests, availabilityConcurrency);
        System.out.println("availability, 14 days, no bookings:   " + empty);

        // warm-up: the JIT compiles the booking path (its compiler took a fifth of the CPU of a cold run)
        var warmUp = book(client, setup, setup.warmUpStarts(), clients, warmUpSeconds);
        System.out.println("bookings, warm-up (" + warmUpSeconds + " s, days after the measured ones): " + warmUp);
        var run = book(client, setup, setup.starts(), clients, seconds);
        System.out.println("bookings, " + clients + " clients:          " + run);
        OTHER_ANSWERS.forEach((answer, n) -> System.out.println("  other answer x" + n + ": " + answer));
        var busy = measure(client, availability, availabilityRequests, availabilityConcurrency);
        System.out.println("availability, 14 days, after bookings: " + busy);
        var changing = measure(client, availability, availabilityRequests, availabilityConcurrency,
            () -> server.pool().query("SELECT nextval('booking_change')").execute().mapEmpty());
        System.out.println("availability, 14 days, after bookings, a change before each request: " + changing);

        long active = server.sql("SELECT count(*) FROM booking WHERE status = 'active'").iterator().next().getLong(0);
        long overlaps = OverlapChecker.overlaps(server.pool());
        System.out.printf("checker: %d active bookings, %d answered 201, %d overlapping pairs%n", active,
            warmUp.created() + run.created(), overlaps);
        if (overlaps != 0 || active != warmUp.created() + run.created()) {
          System.out.println("FAILED: double bookings or lost bookings");
          System.exit(1);
        }
      } finally {
        vertx.close().await();
      }
    }
  }

  record Setup(String point, String service, LocalDate first, List<String> starts, List<String> warmUpStarts) {
  }

  static Setup setUp(TestServer server, Fixtures fx) {
    String org = fx.organisation("Benchmarks kommun");
    String admin = fx.token(org, "admin");
    String point = fx.servicePoint(admin, "Medborgarkontoret", "office");
    fx.openEveryDay(admin, point, "08:00", "18:00");
    String service = Fixtures.created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Ärende")
        .put("nameEn", "Errand").put("ticketLetter", "A").put("durationMinutes", 15)
        .put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0).put("horizonDays", 90))).getString("id");
    server.put("/api/v1/service-points/" + point + "/services/" + service, admin, null);
    LocalDate first = LocalDate.now(STOCKHOLM).plusDays(1);
    var shifts = new ArrayList<JsonObject>();
    for (int i = 0; i < STAFF; i++) {
      String id = Fixtures.created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "staff" + i + "@bench.example")
          .put("displayName", "Staff " + i).put("password", "a-long-enough-password")
          .put("roles", new JsonArray().add("staff")))).getString("id");
      server.put("/api/v1/staff/" + id + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(service)));
      for (int d = 0; d < BOOKABLE_DAYS + WARM_UP_DAYS; d++) {
        LocalDate day = first.plusDays(d);
        shifts.add(new JsonObject().put("staffId", id).put("servicePointId", point).put("channel", "desk")
            .put("start", ZonedDateTime.of(day, LocalTime.of(8, 0), STOCKHOLM).toOffsetDateTime().toString())
            .put("end", ZonedDateTime.of(day, LocalTime.of(18, 0), STOCKHOLM).toOffsetDateTime().toString()));
      }
    }
    for (int i = 0; i < shifts.size(); i += 500) {
      var batch = new JsonArray(new ArrayList<Object>(shifts.subList(i, Math.min(shifts.size(), i + 500))));
      var planned = server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", batch));
      if (planned.statusCode() != 201) {
        throw new IllegalStateException("shifts: " + planned.bodyAsString());
      }
    }
    return new Setup(point, service, first, starts(first, 0, BOOKABLE_DAYS), starts(first, BOOKABLE_DAYS, WARM_UP_DAYS));
  }

  /** The quarter-hour starts 08:00–17:45 of {@code days} days from {@code first} plus {@code from}. */
  private static List<String> starts(LocalDate first, int from, int days) {
    var starts = new ArrayList<String>();
    for (int d = from; d < from + days; d++) {
      for (LocalTime t = LocalTime.of(8, 0); t.isBefore(LocalTime.of(18, 0)); t = t.plusMinutes(15)) {
        starts.add(ZonedDateTime.of(first.plusDays(d), t, STOCKHOLM).toOffsetDateTime().toString());
      }
    }
    return starts;
  }

  /** Latency percentiles of {@code n} GETs with {@code concurrency} in flight. */
  static Latencies measure(WebClient client, String uri, int n, int concurrency) {
    return measure(client, uri, n, concurrency, Future::succeededFuture);
  }

  /**
   * As above, running {@code before} ahead of each request, outside the timed part: advancing
   * the booking change counter makes every request read the busy times afresh.
   */
  static Latencies measure(WebClient client, String uri, int n, int concurrency,
                           java.util.function.Supplier<Future<Void>> before) {
    long[] nanos = new long[n];
    var next = new AtomicInteger();
    long t0 = System.nanoTime();
    var loops = new ArrayList<Future<Void>>();
    for (int c = 0; c < concurrency; c++) {
      var done = Promise.<Void>promise();
      getLoop(client, uri, nanos, next, done, before);
      loops.add(done.future());
    }
    Future.all(loops).await();
    return Latencies.of(nanos, System.nanoTime() - t0);
  }

  private static void getLoop(WebClient client, String uri, long[] nanos, AtomicInteger next, Promise<Void> done,
                              java.util.function.Supplier<Future<Void>> before) {
    int i = next.getAndIncrement();
    if (i >= nanos.length) {
      done.complete();
      return;
    }
    before.get().onFailure(done::fail).onSuccess(v -> get(client, uri, nanos, i, next, done, before));
  }

  private static void get(WebClient client, String uri, long[] nanos, int i, AtomicInteger next, Promise<Void> done,
                          java.util.function.Supplier<Future<Void>> before) {
    long start = System.nanoTime();
    client.get(uri).send().onComplete(r -> {
      if (r.failed() || r.result().statusCode() != 200) {
        done.fail("availability failed: " + (r.failed() ? r.cause() : r.result().bodyAsString()));
        return;
      }
      nanos[i] = System.nanoTime() - start;
      getLoop(client, uri, nanos, next, done, before);
    });
  }

  record BookingRun(long created, long conflicts, long other, double seconds, Latencies latencies) {
    @Override
    public String toString() {
      return String.format("%d created (%.0f/s), %d conflicts (409), %d other; latency %s",
          created, created / seconds, conflicts, other, latencies.percentiles());
    }
  }

  /** The answers counted as "other", each with how often it came (printed after the run). */
  static final java.util.Map<String, Integer> OTHER_ANSWERS = new java.util.concurrent.ConcurrentHashMap<>();

  static BookingRun book(WebClient client, Setup setup, List<String> starts, int clients, int seconds) {
    var created = new AtomicLong();
    var conflicts = new AtomicLong();
    var other = new AtomicLong();
    var nanos = new long[2_000_000];
    var count = new AtomicInteger();
    long t0 = System.nanoTime();
    long deadline = t0 + seconds * 1_000_000_000L;
    long capacity = (long) starts.size() * STAFF;
    var loops = new ArrayList<Future<Void>>();
    for (int c = 0; c < clients; c++) {
      var done = Promise.<Void>promise();
      bookLoop(client, setup, starts, deadline, capacity, created, conflicts, other, nanos, count, done);
      loops.add(done.future());
    }
    Future.all(loops).await();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    return new BookingRun(created.get(), conflicts.get(), other.get(), elapsed,
        Latencies.of(Arrays.copyOf(nanos, Math.min(count.get(), nanos.length)), (long) (elapsed * 1e9)));
  }

  private static void bookLoop(WebClient client, Setup setup, List<String> starts, long deadline, long capacity, AtomicLong created,
                               AtomicLong conflicts, AtomicLong other, long[] nanos, AtomicInteger count, Promise<Void> done) {
    if (System.nanoTime() >= deadline || created.get() >= capacity) {
      done.complete();
      return;
    }
    String start = starts.get(ThreadLocalRandom.current().nextInt(starts.size()));
    var body = new JsonObject().put("servicePointId", setup.point()).put("serviceId", setup.service())
        .put("channel", "desk").put("start", start).put("name", "Bench Resident")
        // one address per booking, as residents have: one address's bookings are counted one at a time
        .put("email", "resident" + ThreadLocalRandom.current().nextInt(1_000_000_000) + "@bench.example")
        .put("consent", true);
    long t = System.nanoTime();
    client.post("/api/v1/bookings").sendJsonObject(body).onComplete(r -> {
      int i = count.getAndIncrement();
      if (i < nanos.length) {
        nanos[i] = System.nanoTime() - t;
      }
      int status = r.succeeded() ? r.result().statusCode() : -1;
      (status == 201 ? created : status == 409 ? conflicts : other).incrementAndGet();
      if (status != 201 && status != 409) {
        OTHER_ANSWERS.merge(r.succeeded() ? status + " " + r.result().bodyAsString() : String.valueOf(r.cause()), 1, Integer::sum);
      }
      bookLoop(client, setup, starts, deadline, capacity, created, conflicts, other, nanos, count, done);
    });
  }

  record Latencies(long[] sorted, long totalNanos) {
    static Latencies of(long[] nanos, long totalNanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return new Latencies(sorted, totalNanos);
    }

    double ms(double quantile) {
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    String percentiles() {
      return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", ms(0.5), ms(0.9), ms(0.99), ms(1.0));
    }

    @Override
    public String toString() {
      return String.format("%d requests, %.0f/s, %s", sorted.length, sorted.length / (totalNanos / 1e9), percentiles());
    }
  }

  private static Map<String, Integer> options(String[] args) {
    var options = new java.util.HashMap<String, Integer>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), Integer.parseInt(args[i + 1]));
    }
    return options;
  }
}
