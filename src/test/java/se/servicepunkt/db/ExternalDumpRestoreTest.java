package se.servicepunkt.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Eventually;
import se.servicepunkt.testing.TestServer;

/**
 * The backup of a server on an external PostgreSQL, restored with exactly the commands
 * docs/OPERATIONS.md gives: {@code pg_dump --format=custom --file=… "$SP_DB_URL"}, then
 * {@code createdb servicepunkt_restore && pg_restore --dbname=servicepunkt_restore …dump}.
 *
 * Point-in-time recovery likewise: WAL archived to a folder, a base backup with
 * {@code pg_basebackup}, bookings made before and after a target time, and a cluster recovered to
 * that time holds the ones before and not the ones after.
 *
 * <p>The test runs its own throwaway PostgreSQL cluster with the newest server binaries on the
 * machine ({@code /usr/lib/postgresql/<major>/bin}, as Debian's {@code postgresql-<major>}
 * installs them), so the dump and the server are of the same major version. Without such binaries
 * it fails (it does not skip): {@code .ci/run} installs {@code postgresql-15} when they are missing.
 */
class ExternalDumpRestoreTest {
  private static final List<String> NEEDED = List.of("initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore", "createdb",
      "pg_basebackup");
  private static final String TABLES = """
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name""";

  private static Path bin;
  private static Path folder;
  private static int port;
  private static boolean asPostgresUser;

  @BeforeAll
  static void startCluster() throws Exception {
    bin = newestServerBinaries();
    // PostgreSQL refuses to run as root; CI containers run as root, Debian's package adds the user
    asPostgresUser = "root".equals(System.getProperty("user.name"));
    folder = Files.createTempDirectory("servicepunkt-pg-");
    if (asPostgresUser) {
      run(List.of("chown", "postgres:postgres", folder.toString()), false);
    }
    port = TestServer.freePort();
    run(List.of(tool("initdb"), "--pgdata=" + folder.resolve("data"), "--username=postgres", "--auth=trust",
        "--encoding=UTF8", "--locale=C.UTF-8"), true);
    // OPERATIONS.md's WAL archiving, to a folder as the backup store
    run(List.of("mkdir", folder.resolve("archive").toString()), true);
    Files.writeString(folder.resolve("data").resolve("postgresql.conf"), "\narchive_mode = on\narchive_command = 'test ! -f "
        + folder.resolve("archive") + "/%f && cp %p " + folder.resolve("archive") + "/%f'\n", StandardOpenOption.APPEND);
    start(folder.resolve("data"), port);
    run(List.of(tool("createdb"), "servicepunkt"), true);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (folder == null) {
      return;
    }
    stop(folder.resolve("data"));
    stop(folder.resolve("recovered"));
    try (Stream<Path> all = Files.walk(folder)) {
      all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void aDumpRestoredIntoANewDatabaseServesEveryRowAndFindsTheBooking() throws Exception {
    Map<String, Long> before;
    JsonObject booking;
    try (var server = TestServer.on(url("servicepunkt"), Map.of("demo", true), Clock.systemUTC())) {
      assertEquals(200, server.get("/health/ready").statusCode(), "the server runs on PostgreSQL in " + bin);
      booking = book(server, "karin@restore.example");
      before = rowCounts(server.pool());
      String version = server.pool().query("SHOW server_version").execute().await().iterator().next().getString(0);
      assertTrue(version.startsWith(bin.getParent().getFileName() + "."), "the cluster runs " + bin + ": " + version);
    }
    assertTrue(before.get("booking") > 0 && before.get("service_point") > 0 && before.get("flyway_schema_history") > 0,
        "the demo data and a booking filled the database: " + before);

    Path dump = folder.resolve("servicepunkt-" + LocalDate.now() + ".dump");
    // OPERATIONS.md: pg_dump --format=custom --file=servicepunkt-$(date +%F).dump "$SP_DB_URL"
    run(List.of(tool("pg_dump"), "--format=custom", "--file=" + dump, url("servicepunkt")), true);
    assertTrue(Files.size(dump) > 0, "pg_dump wrote " + dump);
    // OPERATIONS.md: createdb servicepunkt_restore && pg_restore --dbname=servicepunkt_restore servicepunkt-….dump
    run(List.of(tool("createdb"), "servicepunkt_restore"), true);
    run(List.of(tool("pg_restore"), "--dbname=servicepunkt_restore", dump.toString()), true);

    // demo off: a server on the restored database adds nothing of its own (and migrates nothing)
    try (var server = TestServer.on(url("servicepunkt_restore"), Map.of(), Clock.systemUTC())) {
      assertEquals(200, server.get("/health/ready").statusCode());
      assertEquals(before, rowCounts(server.pool()));

      String reference = booking.getString("reference");
      var resident = server.client().request(HttpMethod.GET, "/api/v1/bookings/" + reference)
          .putHeader("X-Manage-Token", booking.getString("manageToken")).send().await();
      assertEquals(200, resident.statusCode(), "the resident's manage link still works: " + resident.bodyAsString());
      assertEquals(reference, resident.bodyAsJsonObject().getString("reference"));

      String admin = server.sysadminToken();
      var byEmail = server.get("/api/v1/personal-data?email=karin@restore.example", admin);
      assertEquals(200, byEmail.statusCode(), byEmail.bodyAsString());
      assertEquals(1, byEmail.bodyAsJsonArray().size(), byEmail.bodyAsString());
      var byReference = server.get("/api/v1/personal-data?reference=" + reference, admin);
      assertEquals(200, byReference.statusCode(), byReference.bodyAsString());
      assertEquals(1, byReference.bodyAsJsonArray().size(), byReference.bodyAsString());
    }
  }

  @Test
  void pointInTimeRecoveryBringsBackTheBookingsUpToTheTargetAndNotTheOnesAfter() throws Exception {
    run(List.of(tool("createdb"), "pitr"), true);
    JsonObject kept;
    JsonObject lost;
    long bookingsAtTarget;
    String target;
    try (var server = TestServer.on(url("pitr"), Map.of("demo", true), Clock.systemUTC())) {
      // OPERATIONS.md: the base backup, while the server runs
      run(List.of(tool("pg_basebackup"), "--pgdata=" + folder.resolve("base"), "--format=tar", "--gzip",
          "--wal-method=stream", "--checkpoint=fast"), true);
      kept = book(server, "karin@restore.example");
      bookingsAtTarget = count(server.pool(), "booking");
      target = server.pool().query("SELECT clock_timestamp()::text").execute().await().iterator().next().getString(0);
      Thread.sleep(100);
      lost = book(server, "olle@restore.example");
      // the last WAL segment goes to the archive now rather than when it fills
      String segment = server.pool().query("SELECT pg_walfile_name(pg_switch_wal())").execute().await()
          .iterator().next().getString(0);
      assertTrue(Eventually.within(60_000, () -> Files.exists(folder.resolve("archive").resolve(segment))),
          "WAL segment " + segment + " archived");
    }

    // OPERATIONS.md: unpack the base backup, recover from the archive to the target time
    Path recovered = folder.resolve("recovered");
    run(List.of("mkdir", "--mode=700", recovered.toString()), true);
    run(List.of("tar", "-C", recovered.toString(), "-xzf", folder.resolve("base").resolve("base.tar.gz").toString()), true);
    run(List.of("tar", "-C", recovered.resolve("pg_wal").toString(), "-xzf",
        folder.resolve("base").resolve("pg_wal.tar.gz").toString()), true);
    Files.writeString(recovered.resolve("postgresql.conf"), "\nrestore_command = 'cp " + folder.resolve("archive")
        + "/%f %p'\nrecovery_target_time = '" + target + "'\nrecovery_target_action = 'promote'\narchive_mode = off\n",
        StandardOpenOption.APPEND);
    run(List.of("touch", recovered.resolve("recovery.signal").toString()), true);
    int recoveredPort = TestServer.freePort();
    start(recovered, recoveredPort);
    String jdbc = "jdbc:postgresql://localhost:" + recoveredPort + "/pitr";
    assertTrue(Eventually.within(60_000, () -> {
      try (var c = DriverManager.getConnection(jdbc, "postgres", "postgres");
           var rs = c.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
        return rs.next() && !rs.getBoolean(1);
      } catch (SQLException e) {
        return false;
      }
    }), "the recovered cluster ended its recovery");

    String recoveredUrl = "postgresql://postgres:postgres@localhost:" + recoveredPort + "/pitr";
    try (var server = TestServer.on(recoveredUrl, Map.of(), Clock.systemUTC())) {
      assertEquals(bookingsAtTarget, count(server.pool(), "booking"));
      var resident = server.client().request(HttpMethod.GET, "/api/v1/bookings/" + kept.getString("reference"))
          .putHeader("X-Manage-Token", kept.getString("manageToken")).send().await();
      assertEquals(200, resident.statusCode(), "the booking made before the target is back: " + resident.bodyAsString());
      String admin = server.sysadminToken();
      assertEquals(1, server.get("/api/v1/personal-data?email=karin@restore.example", admin).bodyAsJsonArray().size());
      assertEquals(0, server.get("/api/v1/personal-data?reference=" + lost.getString("reference"), admin)
          .bodyAsJsonArray().size(), "the booking made after the target is not");
    } finally {
      stop(recovered);
    }
  }

  private static long count(Pool pool, String table) {
    return pool.query("SELECT count(*) FROM " + table).execute().await().iterator().next().getLong(0);
  }

  private static void start(Path data, int onPort) throws IOException, InterruptedException {
    run(List.of(tool("pg_ctl"), "--pgdata=" + data, "--log=" + folder.resolve("postgres.log"), "--wait",
        "--options=-p " + onPort + " -k " + folder + " -c listen_addresses=localhost -c fsync=off", "start"), true);
  }

  private static void stop(Path data) throws IOException, InterruptedException {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      run(List.of(tool("pg_ctl"), "--pgdata=" + data, "--wait", "--mode=fast", "stop"), true);
    }
  }

  /**
   * The newest {@code /usr/lib/postgresql/<major>/bin} with everything the test runs; fails the
   * test, with what to install, when there is none.
   */
  private static Path newestServerBinaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> majors = Files.list(root)) {
        majors.filter(major -> major.getFileName().toString().matches("\\d+"))
            .map(major -> major.resolve("bin"))
            .filter(dir -> NEEDED.stream().allMatch(name -> Files.isExecutable(dir.resolve(name))))
            .forEach(found::add);
      }
    }
    return found.stream()
        .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getParent().getFileName().toString())))
        .orElseGet(() -> fail("no PostgreSQL server binaries (" + String.join(", ", NEEDED) + ") in "
            + root + "/<major>/bin: install them (apt-get install -y postgresql-15; .ci/run does) to test the"
            + " pg_dump/pg_restore procedure of docs/OPERATIONS.md"));
  }

  private static String tool(String name) {
    return bin.resolve(name).toString();
  }

  /** The database's URI, as an operator's {@code SP_DB_URL}. */
  private static String url(String database) {
    return "postgresql://postgres:postgres@localhost:" + port + "/" + database;
  }

  /**
   * Runs a command (as the {@code postgres} user when the test runs as root) with the cluster as
   * libpq's default server, so the commands read as in OPERATIONS.md; fails with its output unless
   * it ends with 0.
   */
  private static void run(List<String> command, boolean postgresTool) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    if (postgresTool && asPostgresUser) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(command);
    var builder = new ProcessBuilder(line).redirectErrorStream(true).directory(folder.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(new HashMap<>(Map.of("PGHOST", "localhost", "PGPORT", Integer.toString(port), "PGUSER", "postgres")));
    env.remove("PGDATABASE");
    env.remove("PGPASSWORD");
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(String.join(" ", line) + " did not end");
    }
    if (process.exitValue() != 0) {
      String log = Files.exists(folder.resolve("postgres.log"))
          ? Files.readString(folder.resolve("postgres.log"), StandardCharsets.UTF_8) : "";
      fail(String.join(" ", line) + " ended with " + process.exitValue() + ":\n"
          + new String(output, StandardCharsets.UTF_8) + "\n" + log);
    }
  }

  /** A resident's booking at the first free desk time of an offered service (the demo data has none). */
  private static JsonObject book(TestServer server, String email) {
    var offered = server.pool().query("""
        SELECT o.service_point_id, o.service_id FROM service_offering o JOIN service s ON s.id = o.service_id
        WHERE 'desk' = ANY (s.channels) ORDER BY o.service_point_id, o.service_id""").execute().await();
    var today = LocalDate.now(ZoneId.of("Europe/Stockholm"));
    for (Row row : offered) {
      var slots = server.get("/api/v1/availability?servicePoint=" + row.getUUID(0) + "&service=" + row.getUUID(1)
          + "&channel=desk&from=" + today.plusDays(1) + "&to=" + today.plusDays(14)).bodyAsJsonObject().getJsonArray("slots");
      if (slots != null && !slots.isEmpty()) {
        var booked = server.post("/api/v1/bookings", null, new JsonObject()
            .put("servicePointId", row.getUUID(0).toString()).put("serviceId", row.getUUID(1).toString())
            .put("channel", "desk").put("start", slots.getJsonObject(0).getString("start")).put("name", "Karin Karlsson")
            .put("email", email).put("language", "sv").put("consent", true));
        assertEquals(201, booked.statusCode(), booked.bodyAsString());
        return booked.bodyAsJsonObject();
      }
    }
    throw new AssertionError("no free time in the demo data");
  }

  /** The number of rows of every table (Flyway's history among them). */
  private static Map<String, Long> rowCounts(Pool pool) {
    var counts = new TreeMap<String, Long>();
    for (Row table : pool.query(TABLES).execute().await()) {
      String name = table.getString(0);
      counts.put(name, pool.query("SELECT count(*) FROM \"" + name.replace("\"", "\"\"") + "\"").execute().await()
          .iterator().next().getLong(0));
    }
    return counts;
  }
}
