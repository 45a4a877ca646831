package se.servicepunkt.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestDatabase;
import se.servicepunkt.testing.TestServer;

/**
 * A year of a busy lobby, and how long its statistics take to read (issue 14, point 5): 500,000
 * served visits (60 % booked, a tenth by video, six services) with their waiting and service
 * times, 300,000 bookings (made, lead time, booked minutes, checked in or not, one in twelve
 * cancelled), 18 staff on duty every open day, and searches, written month by month as the facts
 * the statistics' triggers write and folded by {@code stats_fold()}, as the running server does.
 * Then the answers a manager and a council ask for, each 2 times to warm up and 15 times measured,
 * through HTTP: the yearly report, the year by month, by weekday and hour, and by day and service
 * as CSV.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=se.servicepunkt.bench.StatsBenchmark \
 *   -Dexec.args="--visits 500000 --bookings 300000"
 * </pre>
 */
public final class StatsBenchmark {
  private static final String VISITS = """
      INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric, bucket, n, total)
      SELECT $1, ($2::uuid[])[1 + v.i % 6], v.channel, v.at, m.metric, m.bucket, 1, m.total
      FROM (
        SELECT i, CASE WHEN i % 10 = 0 THEN 'video' ELSE 'desk' END AS channel,
               ((d.day + time '08:00') + make_interval(secs => (i % $5) * 36000.0 / $5)) AT TIME ZONE 'Europe/Stockholm' AS at,
               (random() * 2400 + 0 * i)::int AS waited, (240 + random() * 1500 + 0 * i)::int AS served
        FROM generate_series($3::date, $4::date, interval '1 day') AS d (day)
        CROSS JOIN LATERAL generate_series(1, CASE WHEN extract(isodow FROM d.day) < 7 THEN $5 ELSE 0 END) AS g (i)
      ) v
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN v.i % 5 < 3 THEN 'served_booked' ELSE 'served_walk_in' END, -1::smallint, 0::bigint),
        ('wait', stats_minutes_bucket(make_interval(secs => v.waited)), v.waited::bigint),
        ('service', stats_minutes_bucket(make_interval(secs => v.served)), v.served::bigint)) AS m (metric, bucket, total)""";
  private static final String BOOKINGS = """
      INSERT INTO stats_delta (service_point_id, service_id, channel, at, until, metric, bucket, n, total)
      SELECT $1, ($2::uuid[])[1 + b.i % 6], b.channel, b.at, m.until, m.metric, m.bucket, m.n, m.total
      FROM (
        SELECT i, CASE WHEN i % 10 = 0 THEN 'video' ELSE 'desk' END AS channel,
               ((d.day + time '08:00') + make_interval(mins => (i % $5) * 600 / $5)) AT TIME ZONE 'Europe/Stockholm' AS at,
               (random() * 30 + 0 * i)::int AS lead
        FROM generate_series($3::date, $4::date, interval '1 day') AS d (day)
        CROSS JOIN LATERAL generate_series(1, CASE WHEN extract(isodow FROM d.day) < 7 THEN $5 ELSE 0 END) AS g (i)
      ) b
      CROSS JOIN LATERAL (VALUES
        (NULL::timestamptz, 'booking_made', -1::smallint, 1, 0::bigint),
        (NULL, 'lead', b.lead::smallint, 1, b.lead * 1440::bigint),
        (NULL, 'booked', -1::smallint, 1, 0::bigint),
        (b.at + interval '20 minutes', 'booked_minutes', -1::smallint, 1, 0::bigint),
        (NULL, CASE WHEN b.i % 12 = 0 THEN 'cancelled_by_resident' WHEN b.i % 15 = 1 THEN NULL ELSE 'checked_in' END,
         -1::smallint, 1, 0::bigint),
        (NULL, CASE WHEN b.i % 12 = 0 THEN 'booked' END, -1::smallint, -1, 0::bigint),
        (CASE WHEN b.i % 12 = 0 THEN b.at + interval '20 minutes' END, CASE WHEN b.i % 12 = 0 THEN 'booked_minutes' END,
         -1::smallint, -1, 0::bigint)) AS m (until, metric, bucket, n, total)
      WHERE m.metric IS NOT NULL""";
  private static final String SHIFTS_AND_SEARCHES = """
      INSERT INTO stats_delta (service_point_id, organisation_id, service_id, channel, at, until, metric, bucket, n, total)
      SELECT $1, $6, '00000000-0000-0000-0000-000000000000', c.channel,
             (d.day + time '08:00') AT TIME ZONE 'Europe/Stockholm', (d.day + time '18:00') AT TIME ZONE 'Europe/Stockholm',
             'shift_minutes', -1, c.staff, 0
      FROM generate_series($3::date, $4::date, interval '1 day') AS d (day)
      CROSS JOIN (VALUES ('desk', 15), ('video', 3)) AS c (channel, staff)
      WHERE extract(isodow FROM d.day) < 7 AND $5 > 0
      UNION ALL
      SELECT $1, NULL, ($2::uuid[])[1 + i % 6], 'desk',
             ((d.day + time '07:00') + make_interval(mins => i % 840)) AT TIME ZONE 'Europe/Stockholm',
             NULL, CASE WHEN i % 4 = 0 THEN 'search_empty' ELSE 'search' END, (i % 14)::smallint, 1, 0
      FROM generate_series($3::date, $4::date, interval '1 day') AS d (day)
      CROSS JOIN LATERAL generate_series(1, $5) AS g (i)""";

  private StatsBenchmark() {
  }

  public static void main(String[] args) {
    int visits = 500_000;
    int bookings = 300_000;
    int year = LocalDate.now().getYear() - 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--visits" -> visits = Integer.parseInt(args[i + 1]);
        case "--bookings" -> bookings = Integer.parseInt(args[i + 1]);
        case "--year" -> year = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    TestDatabase.durable();
    if (java.util.Arrays.asList(args).contains("--trigger-cost")) {
      triggerCost();
      return;
    }
    try (var server = TestServer.start(Map.of("statsFoldSeconds", 3600, "dbStatementTimeoutMs", 0))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Storstadens kommun");
      String admin = fx.token(org, "admin");
      String point = fx.servicePoint(admin, "Storstadens medborgarkontor", "office");
      List<UUID> services = new ArrayList<>();
      for (int s = 0; s < 6; s++) {
        services.add(UUID.fromString(fx.service(org, "Ärende " + (char) ('A' + s), String.valueOf((char) ('A' + s)), "desk", "video")));
      }
      UUID[] ids = services.toArray(UUID[]::new);
      LocalDate first = LocalDate.of(year, 1, 1);
      int openDays = 0;
      for (LocalDate d = first; d.getYear() == year; d = d.plusDays(1)) {
        openDays += d.getDayOfWeek().getValue() < 7 ? 1 : 0;
      }
      int visitsPerDay = Math.max(1, Math.round((float) visits / openDays));
      int bookingsPerDay = Math.max(1, Math.round((float) bookings / openDays));
      System.out.printf("generating %d open days: %d visits and %d bookings a day, month by month%n", openDays,
          visitsPerDay, bookingsPerDay);
      long generating = System.nanoTime();
      long folded = 0;
      for (int month = 1; month <= 12; month++) {
        LocalDate from = LocalDate.of(year, month, 1);
        LocalDate to = from.plusMonths(1).minusDays(1);
        var tuple = io.vertx.sqlclient.Tuple.tuple().addUUID(UUID.fromString(point)).addArrayOfUUID(ids)
            .addLocalDate(from).addLocalDate(to).addInteger(visitsPerDay);
        server.pool().preparedQuery(VISITS).execute(tuple).await();
        server.pool().preparedQuery(BOOKINGS).execute(io.vertx.sqlclient.Tuple.tuple().addUUID(UUID.fromString(point))
            .addArrayOfUUID(ids).addLocalDate(from).addLocalDate(to).addInteger(bookingsPerDay)).await();
        server.pool().preparedQuery(SHIFTS_AND_SEARCHES).execute(io.vertx.sqlclient.Tuple.tuple()
            .addUUID(UUID.fromString(point)).addArrayOfUUID(ids).addLocalDate(from).addLocalDate(to).addInteger(300)
            .addUUID(UUID.fromString(org))).await();
        long start = System.nanoTime();
        long facts = server.pool().query("SELECT stats_fold()").execute().await().iterator().next().getLong(0);
        folded += facts;
        System.out.printf("  %d-%02d: %,d facts folded in %d ms%n", year, month, facts, (System.nanoTime() - start) / 1_000_000);
      }
      var cells = server.sql("SELECT count(*), count(*) FILTER (WHERE hour = -1) FROM stats_cell").iterator().next();
      System.out.printf("generated and folded %,d facts in %.1f s: %,d kept rows (%,d of them whole days)%n", folded,
          (System.nanoTime() - generating) / 1e9, cells.getLong(0), cells.getLong(1));
      server.sql("ANALYZE stats_cell");

      String sysadmin = fx.sysadmin();
      String manager = fx.token(org, "staff", "manager");
      String range = "from=" + year + "-01-01&to=" + year + "-12-31";
      var report = server.get("/api/v1/stats?" + range, manager).bodyAsJsonObject().getJsonArray("rows").getJsonObject(0);
      System.out.printf("the year: %,d visits, %,d bookings made, %,d active, median wait %s min, 9 in 10 within %s min%n",
          report.getLong("visits"), report.getLong("bookingsMade"), report.getLong("bookingsActive"),
          report.getValue("waitMedianMinutes"), report.getValue("waitP90Minutes"));
      measure(server, manager, "yearly report (GET /stats/report: 5 reads)", "/api/v1/stats/report?year=" + year, null);
      measure(server, manager, "the year by month (JSON)", "/api/v1/stats?" + range + "&groupBy=month", null);
      measure(server, manager, "the year by weekday and hour (JSON)", "/api/v1/stats?" + range + "&groupBy=weekday,hourOfDay", null);
      measure(server, manager, "the year by day and service (CSV)", "/api/v1/stats?" + range + "&groupBy=day,service", "text/csv");
      measure(server, sysadmin, "dashboard, 12 weeks (3 reads)", "/api/v1/stats/dashboard?from=" + year + "-10-01&to="
          + year + "-12-23&organisation=" + org, null);
    }
  }

  private static final String BOOK = """
      INSERT INTO booking (reference, manage_token_hash, service_point_id, service_id, staff_id, channel, period, language,
                           name, email)
      VALUES ($1, '\\x00', $2, $3, $4, 'desk', tstzrange($5::timestamptz, $5::timestamptz + interval '20 minutes', '[)'), 'sv', 'Anna', $6)""";

  /**
   * What the statistics' booking trigger costs the database, apart from everything else on a
   * shared machine: rounds of 3,000 bookings (16 at a time, each its own transaction, as the server
   * makes them, with an address, so the e-mail triggers run too), alternately with the statistics'
   * trigger and with it disabled, ten rounds each, interleaved so that the machine's load falls on
   * both alike.
   */
  private static void triggerCost() {
    try (var server = TestServer.start(Map.of("statsFoldSeconds", 5, "dbStatementTimeoutMs", 0))) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Triggerkommunen");
      String admin = fx.token(org, "admin");
      UUID point = UUID.fromString(fx.servicePoint(admin, "Triggerkontoret", "office"));
      UUID service = UUID.fromString(fx.service(org, "Ärende", "A", "desk"));
      fx.account(org, "trigger-staff@test.example", "staff");
      UUID staff = server.sql("SELECT id FROM staff WHERE email = 'trigger-staff@test.example'").iterator().next().getUUID(0);
      var start = java.time.OffsetDateTime.parse("2030-01-01T00:00:00Z");
      int n = 0;
      var with = new ArrayList<Double>();
      var without = new ArrayList<Double>();
      for (int round = 0; round < 20; round++) {
        boolean on = round % 2 == 0;
        server.sql(on ? "ALTER TABLE booking ENABLE TRIGGER stats_booking_created"
            : "ALTER TABLE booking DISABLE TRIGGER stats_booking_created");
        var rows = new ArrayList<io.vertx.sqlclient.Tuple>();
        for (int i = 0; i < 3000; i++, n++) {
          rows.add(io.vertx.sqlclient.Tuple.of("T" + n, point, service, staff, start.plusMinutes(20L * n),
              "anna" + n + "@example.se"));
        }
        long began = System.nanoTime();
        var inFlight = new java.util.concurrent.Semaphore(16);
        var all = new ArrayList<io.vertx.core.Future<?>>();
        for (var row : rows) {
          inFlight.acquireUninterruptibly();
          all.add(server.pool().preparedQuery(BOOK).execute(row).onComplete(done -> inFlight.release()));
        }
        io.vertx.core.Future.all(all).await();
        double perSecond = rows.size() / ((System.nanoTime() - began) / 1e9);
        (on ? with : without).add(perSecond);
        System.out.printf("round %2d, statistics trigger %-3s: %,.0f bookings/s (load %s)%n", round + 1, on ? "on" : "off",
            perSecond, loadAverage());
      }
      // each round with the trigger against the round after it without: the machine's load drifts
      // between rounds far more than the trigger costs, so only neighbours are compared
      var ratios = new ArrayList<Double>();
      for (int i = 0; i < with.size(); i++) {
        ratios.add(with.get(i) / without.get(i));
      }
      ratios.sort(Double::compare);
      double median = (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
      System.out.printf("median of the ten pairs (with / without): %.3f: the trigger costs %.1f %% of the inserts' throughput%n",
          median, (1 - median) * 100);
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static void measure(TestServer server, String token, String what, String path, String accept) {
    var times = new ArrayList<Double>();
    for (int i = 0; i < 17; i++) {
      var request = server.client().get(path).putHeader("Authorization", "Bearer " + token);
      if (accept != null) {
        request.putHeader("Accept", accept);
      }
      long start = System.nanoTime();
      var answer = request.send().await();
      double ms = (System.nanoTime() - start) / 1e6;
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(what + ": " + answer.statusCode() + " " + answer.bodyAsString());
      }
      if (i >= 2) {
        times.add(ms);
      }
    }
    times.sort(Double::compare);
    System.out.printf("%-44s median %6.1f ms, p95 %6.1f ms, max %6.1f ms (15 runs)%n", what, times.get(times.size() / 2),
        times.get((int) Math.ceil(times.size() * 0.95) - 1), times.get(times.size() - 1));
  }
}
