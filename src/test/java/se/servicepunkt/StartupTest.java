package se.servicepunkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import se.servicepunkt.config.ConfigException;
import se.servicepunkt.db.DatabaseException;
import se.servicepunkt.testing.TestDatabase;
import se.servicepunkt.testing.TestServer;

/** Start-up on empty and existing databases, restarts, and the one-line failures an operator sees. */
class StartupTest {
  /** The number of migrations in sql/. */
  static final long MIGRATIONS;

  static {
    try (var files = Files.list(Path.of("sql"))) {
      MIGRATIONS = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void migrationsRunOnAnEmptyDatabaseAndDataSurvivesARestartOnAnExistingOne() {
    String id;
    String dbUrl;
    try (var first = TestServer.start()) {
      dbUrl = first.dbUrl();
      assertEquals(MIGRATIONS, first.sql("SELECT count(*) FROM flyway_schema_history WHERE success").iterator().next().getLong(0));
      id = first.post("/api/v1/organisations", first.sysadminToken(), new JsonObject().put("name", "Gnesta kommun"))
          .bodyAsJsonObject().getString("id");
    }
    try (var second = TestServer.start(Map.of("dbUrl", dbUrl))) {
      assertEquals(200, second.get("/api/v1/organisations/" + id).statusCode());
      assertEquals(200, second.get("/health/ready").statusCode());
      assertEquals(1L, second.sql("SELECT count(*) FROM staff").iterator().next().getLong(0),
          "the first administrator is created once");
    }
  }

  @Test
  void twoInstancesStartingAtOnceOnAnEmptyDatabaseMigrateAndSeedOnce() throws Exception {
    String url = TestDatabase.fresh();
    var executor = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var starts = List.of(
          executor.submit(() -> Servicepunkt.start(TestServer.config(url, Map.of("demo", true)))),
          executor.submit(() -> Servicepunkt.start(TestServer.config(url, Map.of("demo", true)))));
      try (var first = starts.get(0).get(120, TimeUnit.SECONDS); var second = starts.get(1).get(120, TimeUnit.SECONDS)) {
        var counts = first.pool().query("""
            SELECT (SELECT count(*) FROM organisation), (SELECT count(*) FROM service_point),
                   (SELECT count(*) FROM staff WHERE 'sysadmin' = ANY (roles)),
                   (SELECT count(*) FROM flyway_schema_history WHERE success)""").execute().await().iterator().next();
        assertEquals(4L, counts.getLong(0), "one set of demo organisations");
        assertEquals(5L, counts.getLong(1), "the four demo points and the demo lobby");
        assertEquals(2L, counts.getLong(2), "the configured first administrator and the demo one, once each");
        assertEquals(MIGRATIONS, counts.getLong(3), "each migration applied once");
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void theEmbeddedDatabaseKeepsItsDataInTheDataFolder() throws IOException {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "embedded-");
    var config = TestServer.config(null, Map.of("dataDir", dataDir.toString()));
    String id;
    try (var server = Servicepunkt.start(config); var client = new Client(config.httpPort())) {
      String token = client.login(TestServer.SYSADMIN_EMAIL, TestServer.PASSWORD);
      id = new JsonObject(client.send("POST", "/api/v1/organisations", token, "{\"name\":\"Region Jämtland Härjedalen\"}").body())
          .getString("id");
    }
    assertTrue(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")));
    var again = TestServer.config(null, Map.of("dataDir", dataDir.toString()));
    try (var server = Servicepunkt.start(again); var client = new Client(again.httpPort())) {
      var response = client.send("GET", "/api/v1/organisations/" + id, null, null);
      assertEquals(200, response.statusCode());
      assertEquals("Region Jämtland Härjedalen", new JsonObject(response.body()).getString("name"));
    }
  }

  @Test
  void healthAndMetricsAnswer() throws IOException {
    try (var server = TestServer.start()) {
      assertEquals(200, server.get("/health/live").statusCode());
      assertEquals("ready", server.get("/health/ready").bodyAsJsonObject().getString("status"));
      server.get("/api/v1/service-points");
      String metrics = server.get("/metrics", TestServer.METRICS_TOKEN).bodyAsString();
      assertTrue(metrics.contains("vertx_http_server_requests_total"), metrics.substring(0, Math.min(300, metrics.length())));
      assertTrue(metrics.contains("vertx_pool"), "the database pool is measured");
    }
  }

  @Test
  void aMissingOrShortTokenSecretOutsideDemoModeStopsStartUp() {
    var missing = assertThrows(ConfigException.class,
        () -> Servicepunkt.start(TestServer.config(TestDatabase.fresh(), Map.of("jwtSecret", ""))));
    assertTrue(missing.getMessage().contains("SP_JWT_SECRET"), missing.getMessage());
    var shortSecret = assertThrows(ConfigException.class,
        () -> Servicepunkt.start(TestServer.config(TestDatabase.fresh(), Map.of("jwtSecret", "too-short"))));
    assertTrue(shortSecret.getMessage().contains("32"), shortSecret.getMessage());
  }

  @Test
  void anUnreachableDatabaseIsOneClearLine() {
    String url = "postgresql://nobody:secret@127.0.0.1:" + TestServer.freePort() + "/servicepunkt";
    var e = assertThrows(DatabaseException.class, () -> Servicepunkt.start(TestServer.config(url, Map.of())));
    assertTrue(e.getMessage().startsWith("cannot connect to the database at 127.0.0.1:"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(e.getMessage().contains("secret"), "no password in the message");
  }

  @Test
  void aFailedMigrationIsOneClearLine() throws Exception {
    String url = TestDatabase.fresh();
    var options = io.vertx.pgclient.PgConnectOptions.fromUri(url);
    try (var c = DriverManager.getConnection("jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/"
        + options.getDatabase(), options.getUser(), options.getPassword()); var s = c.createStatement()) {
      s.execute("CREATE TABLE organisation (something_else int)");
    }
    var e = assertThrows(DatabaseException.class, () -> Servicepunkt.start(TestServer.config(url, Map.of())));
    assertTrue(e.getMessage().startsWith("database migration failed"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aPortInUseIsOneClearLine() {
    try (var server = TestServer.start()) {
      var e = assertThrows(StartupException.class, () -> Servicepunkt.start(
          TestServer.config(server.dbUrl(), Map.of("httpPort", server.port()))));
      assertEquals("port " + server.port() + " is already in use", e.getMessage());
    }
  }

  @Test
  void theProcessPrintsOneLineAndExitsWith1OnABadDatabaseUrl() throws Exception {
    var process = java(Map.of("SP_DB_URL", "mysql://localhost/x", "SP_JWT_SECRET", TestServer.JWT_SECRET));
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, process.exitValue());
    List<String> lines = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), () -> "stderr: " + lines);
    assertEquals("servicepunkt: dbUrl (SP_DB_URL) must be a postgresql:// URI", lines.get(0));
  }

  @Test
  void sigtermStopsTheServerAndItsEmbeddedDatabase() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "sigterm-");
    int port = TestServer.freePort();
    var process = java(Map.of("SP_DATA_DIR", dataDir.toString(), "SP_HTTP_PORT", String.valueOf(port),
        "SP_DEMO", "true", "SP_PASSWORD_COST", "4"));
    try (var client = new Client(port)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline && process.isAlive()) {
        Thread.sleep(250);
        try {
          status = client.send("GET", "/health/ready", null, null).statusCode();
        } catch (IOException notYet) {
          status = 0;
        }
      }
      assertEquals(200, status, "the server came up");
    }
    assertTrue(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")));
    process.destroy();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "it stops within 30 s of SIGTERM");
    assertFalse(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")), "the embedded database stopped");
  }

  private static Process java(Map<String, String> env) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    var builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    var environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("SP_"));
    environment.putAll(new HashMap<>(env));
    return builder.start();
  }

  /** A plain JDK HTTP client, for servers started without a TestServer. */
  static final class Client implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    Client(int port) {
      this.port = port;
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException {
      var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json");
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    String login(String email, String password) throws IOException {
      var response = send("POST", "/api/v1/auth/login", null,
          new JsonObject().put("email", email).put("password", password).encode());
      return new JsonObject(response.body()).getString("accessToken");
    }

    @Override
    public void close() {
      // HttpClient in Java 17 has nothing to close.
    }
  }
}
