package se.servicepunkt.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The whole system under a city lobby's load: the client of {@code src/bench/system.sh}, which
 * starts PostgreSQL, two instances and nginx in front of them and passes their addresses, pid
 * files and the SMTP port here. This client sets up the lobby through nginx, runs the scenario
 * ({@link LobbyLoad}) for {@code --minutes}, samples RSS and CPU of every process, and then checks
 * the results against the database: no double booking, no event missed or repeated on any
 * stream, every e-mail sent once. With {@code --faults 1} it also breaks things during the run, in
 * order (one instance killed, PostgreSQL restarted, the LISTEN connection killed, SMTP stopped for
 * two minutes) and measures how long the system took to come back from each.
 */
public final class SystemBenchmark {
  private static final String KILL_LISTEN = """
      SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'""";
  private static final String MAIL_OF_RUN = """
      SELECT m.status, m.message_id, m.id FROM mail_message m JOIN booking b ON b.id = m.booking_id
      WHERE b.service_point_id = $1 AND (m.due_at <= now() OR m.attempts > 0)""";
  private static final String ACTIVE_BOOKINGS = """
      SELECT count(*) FROM booking WHERE service_point_id = $1 AND status = 'active'""";

  private SystemBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    var o = options(args);
    int nginxPort = Integer.parseInt(o.get("port"));
    double minutes = Double.parseDouble(o.getOrDefault("minutes", "5"));
    double scale = Double.parseDouble(o.getOrDefault("scale", "1"));
    boolean withFaults = "1".equals(o.getOrDefault("faults", "0"));
    int faultGap = Integer.parseInt(o.getOrDefault("fault-gap", "60"));
    int smtpOutage = Integer.parseInt(o.getOrDefault("smtp-outage", "120"));
    double dropAt = Double.parseDouble(o.getOrDefault("drop-at", "0"));
    double dropTo = Double.parseDouble(o.getOrDefault("drop-to", "0.5"));
    Path dir = Path.of(o.get("dir"));
    if (withFaults) {
      minutes = Math.max(minutes, (5.0 * faultGap + smtpOutage) / 60);
    }
    var rates = LobbyLoad.Rates.scaled(scale);

    var smtp = new MailSink(Integer.parseInt(o.get("smtp-port")));
    smtp.start();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    int connections = Integer.parseInt(o.getOrDefault("connections", "512"));
    var api = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(nginxPort)
        .setKeepAlive(true).setConnectTimeout(10_000), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    var streams = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(nginxPort)
        .setKeepAlive(false).setConnectTimeout(10_000), new PoolOptions().setHttp1MaxSize(10_000));
    Pool db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(o.get("db"))).using(vertx).build();
    var sampler = new ProcessSampler();
    sampler.add("server-1", ProcessSampler.pidFile(dir.resolve("server-1.pid")));
    sampler.add("server-2", ProcessSampler.pidFile(dir.resolve("server-2.pid")));
    sampler.add("postgres", ProcessSampler.pidFile(Path.of(o.get("pg-data")).resolve("postmaster.pid")));
    sampler.add("nginx", ProcessSampler.pidFile(dir.resolve("nginx.pid")));
    long self = ProcessHandle.current().pid();
    sampler.add("client", () -> self);
    var ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      int warmUp = Integer.parseInt(o.getOrDefault("warmup", "0"));
      if (warmUp > 0) {
        warmUp(vertx, api, streams, db, o, warmUp);
      }
      long setupStart = System.nanoTime();
      var lobby = LobbySetup.create(api, db, o.get("admin-email"), o.get("admin-password"), rates.staff(), rates.displays(),
          Math.max(2, (int) Math.round(20 * scale)));
      System.out.printf("setup in %.0f s: %s; %d staff, %d screens, walk-ins %.0f in the first minute then %.1f/s, "
              + "searches %.1f/s, bookings %.1f/s, %.1f minutes%s%n", (System.nanoTime() - setupStart) / 1e9, rates,
          rates.staff(), rates.displays(), rates.firstMinuteTickets(), rates.ticketsPerSecond(), rates.searchesPerSecond(),
          rates.bookingsPerSecond(), minutes, withFaults ? ", with faults" : "");

      long origin = System.nanoTime();
      long originMillis = System.currentTimeMillis();
      var recorder = new LoadRecorder(origin);
      var ledger = new StreamLedger();
      var faults = new FaultLog(origin);
      var load = new LobbyLoad(vertx, api, streams, lobby, rates, recorder, ledger, faults, origin);
      var clientLag = new LoopLag(vertx, 2);
      var statements = new StatementReport(db);
      statements.reset();
      sampler.sample(0);
      ticker.scheduleAtFixedRate(() -> sampler.sample((System.nanoTime() - origin) / 1e9), 5, 5, TimeUnit.SECONDS);
      load.start();
      if (dropAt > 0) {
        ticker.schedule(() -> load.drop(dropTo), (long) (dropAt * 1000), TimeUnit.MILLISECONDS);
      }
      long end = origin + (long) (minutes * 60e9);
      if (withFaults) {
        runFaults(faults, dir, db, smtp, faultGap, smtpOutage, end);
      }
      sleepUntil(end);
      System.out.printf("load stopped after %.0f s; %d requests still waiting%n", (System.nanoTime() - origin) / 1e9,
          load.stop());
      long drain = System.nanoTime() + 130_000_000_000L;
      while (load.inFlight() > 0 && System.nanoTime() < drain) {
        Thread.sleep(200);
      }
      long[] shown = StreamLedger.lastShown(db, lobby.lobby());
      long catchUp = System.nanoTime() + 60_000_000_000L;
      while (!ledger.caughtUp(shown) && System.nanoTime() < catchUp) {
        Thread.sleep(200);
      }
      long lastTickets = System.nanoTime() + 5_000_000_000L; // a ticket taken in the last moment: its stream's snapshot
      while (!load.ticketSnapshotsIn() && System.nanoTime() < lastTickets) {
        Thread.sleep(100);
      }
      load.closeStreams();
      ticker.shutdown();
      ticker.awaitTermination(10, TimeUnit.SECONDS);

      var report = new StringBuilder("\n==== whole system: ").append(rates).append(String.format(", %.1f minutes%s ====%n",
          minutes, withFaults ? ", with faults" : ""));
      report.append("Requests through nginx (steady = after the first minute):\n").append(recorder.report(60_000_000_000L));
      report.append(NginxTimings.report(dir.resolve("timing.log"), originMillis + 60_000, originMillis + (long) (minutes * 60_000)));
      if (dropAt > 0) {
        report.append(recorder.recovery((long) (dropAt * 1e9), 10));
        report.append("whole run, ").append(NginxTimings.refusals(dir.resolve("timing.log"), originMillis,
            originMillis + (long) (minutes * 60_000)));
        if (o.containsKey("wire")) {
          report.append(WireTimings.refusals(Path.of(o.get("wire")), nginxPort, List.of(
              new WireTimings.Window("whole run", originMillis, originMillis + (long) (minutes * 60_000)),
              new WireTimings.Window("after the first minute until the drop", originMillis + 60_000,
                  originMillis + (long) (dropAt * 1000)))));
        }
      }
      report.append(load.report());
      report.append(clientLag.report());
      report.append(sampler.report());
      report.append(faults.report());
      report.append(statements.report(15));
      report.append("CHECKS\n");
      long overlaps = OverlapChecker.overlaps(db);
      long active = db.preparedQuery(ACTIVE_BOOKINGS).execute(Tuple.of(UUID.fromString(lobby.bookable()))).await()
          .iterator().next().getLong(0);
      report.append(String.format("  double bookings: %d overlapping pairs (%d active bookings at the bookable point) %s%n",
          overlaps, active, overlaps == 0 ? "OK" : "FAILED"));
      String streamCheck = ledger.check(db, lobby.lobby());
      report.append("  streams: ").append(streamCheck).append('\n');
      report.append("  e-mail: ").append(mailCheck(db, smtp, lobby.bookable())).append('\n');
      System.out.print(report);
    } finally {
      ticker.shutdownNow();
      vertx.close().await();
      smtp.stop();
    }
  }

  /**
   * Waits (up to 60 s) for the run's messages to leave the outbox, then compares them with what
   * SMTP received. The run's messages: those due by now, and those tried already (a failed attempt
   * moves the due time to the retry); reminders for later days are not yet due and not counted.
   */
  private static String mailCheck(Pool db, MailSink smtp, String point) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    Map<String, String> statuses; // by the row's id: "status message-id"
    do {
      statuses = new HashMap<>();
      for (Row row : db.preparedQuery(MAIL_OF_RUN).execute(Tuple.of(UUID.fromString(point))).await()) {
        statuses.put(String.valueOf(row.getValue(2)), row.getString(0) + " " + row.getString(1));
      }
      if (statuses.values().stream().noneMatch(s -> s.startsWith("queued ") || s.startsWith("sending "))) {
        break;
      }
      Thread.sleep(1_000);
    } while (System.nanoTime() < deadline);
    var received = smtp.received();
    long sent = statuses.values().stream().filter(s -> s.startsWith("sent ")).count();
    long pending = statuses.values().stream().filter(s -> s.startsWith("queued ") || s.startsWith("sending ")).count();
    long failed = statuses.values().stream().filter(s -> s.startsWith("failed ")).count();
    long sentNotReceived = 0;
    long twice = 0;
    for (String value : statuses.values()) {
      int times = received.getOrDefault(value.substring(value.indexOf(' ') + 1), 0);
      sentNotReceived += value.startsWith("sent ") && times == 0 ? 1 : 0;
      twice += times > 1 ? 1 : 0;
    }
    boolean once = sentNotReceived == 0 && twice == 0 && failed == 0;
    String verdict = !once ? "FAILED" : pending == 0 ? "OK" : "OK for those sent; NOT ALL SENT YET";
    return String.format("%d messages due or tried, %d marked sent, %d still queued or sending after 60 s more, %d failed; "
            + "%d Message-IDs received, %d marked sent but never received, %d received more than once: %s",
        statuses.size(), sent, pending, failed, received.size(), sentNotReceived, twice, verdict);
  }

  /**
   * Before the measured run, {@code seconds} of the same scenario at a tenth of its scale (20
   * consoles, 5 screens, walk-ins, searches, bookings) at a lobby of its own, then its streams
   * closed: the instances of a service that has been running have compiled their hot paths
   * before the morning rush, while freshly started ones compile them during it (a fifth of the CPU
   * of a cold JVM goes to its JIT compiler). Nothing of it is measured or checked.
   */
  private static void warmUp(Vertx vertx, WebClient api, HttpClient streams, Pool db, Map<String, String> o, int seconds)
      throws InterruptedException {
    long started = System.nanoTime();
    var rates = LobbyLoad.Rates.scaled(0.1);
    var lobby = LobbySetup.create(api, db, o.get("admin-email"), o.get("admin-password"), rates.staff(), rates.displays(), 2);
    var load = new LobbyLoad(vertx, api, streams, lobby, rates, new LoadRecorder(started), new StreamLedger(),
        new FaultLog(started), started);
    load.start();
    Thread.sleep(seconds * 1000L);
    load.stop();
    long drain = System.nanoTime() + 30_000_000_000L;
    while (load.inFlight() > 0 && System.nanoTime() < drain) {
      Thread.sleep(200);
    }
    load.closeStreams();
    System.out.printf("warm-up: %d s at a tenth of the scenario at a lobby of its own (not measured), %.0f s in all%n",
        seconds, (System.nanoTime() - started) / 1e9);
  }

  private static void runFaults(FaultLog faults, Path dir, Pool db, MailSink smtp, int gap, int smtpOutage, long end) {
    var thread = new Thread(() -> {
      try {
        Thread.sleep(gap * 1000L);
        faults.fault("kill -9 server 1");
        helper(dir, "kill-instance");
        Thread.sleep(gap * 500L);
        helper(dir, "start-instance");
        faults.note(" (server 1 started again " + gap / 2 + " s later)");
        Thread.sleep(gap * 500L);
        faults.fault("restart PostgreSQL");
        helper(dir, "restart-database");
        Thread.sleep(gap * 1000L);
        faults.fault("kill the LISTEN connection");
        long killed = 0;
        for (int attempt = 0; attempt < 5 && killed == 0; attempt++) {
          try {
            killed = db.query(KILL_LISTEN).execute().await().iterator().next().getLong(0);
          } catch (RuntimeException e) {
            Thread.sleep(1_000);
          }
        }
        faults.note(" (" + killed + " LISTEN backends terminated)");
        Thread.sleep(gap * 1000L);
        faults.fault("SMTP stopped for " + smtpOutage + " s");
        smtp.stop();
        Thread.sleep(smtpOutage * 1000L);
        smtp.start();
        faults.note(" (started again)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        System.out.println("fault run failed: " + e);
      }
    }, "faults");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code src/bench/system-fault.sh ACTION} with the run's folder, waiting for it. */
  private static void helper(Path dir, String action) throws Exception {
    var process = new ProcessBuilder("bash", "src/bench/system-fault.sh", dir.toString(), action).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("system-fault.sh " + action + " failed");
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      Thread.sleep(Math.min(1_000, left / 1_000_000 + 1));
    }
  }

  private static Map<String, String> options(String[] args) {
    var options = new HashMap<String, String>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }
}
