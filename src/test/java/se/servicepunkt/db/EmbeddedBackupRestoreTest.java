package se.servicepunkt.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import se.servicepunkt.Servicepunkt;
import se.servicepunkt.testing.TestServer;

/**
 * The backup of a server on the embedded database, restored (docs/OPERATIONS.md): stop the server,
 * copy its data folder ({@code DATA_DIR/postgres}), start a server on the copy; every table has the
 * same rows, and the restored server works. This is the restore that can be tested here: the
 * embedded PostgreSQL 17 comes without {@code pg_dump} and {@code pg_restore}, and the machine's
 * {@code pg_dump} 15 refuses a 17 server (see OPERATIONS.md for what was tried).
 */
class EmbeddedBackupRestoreTest {
  private static final String TABLES = """
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name""";

  @Test
  void aCopyOfTheStoppedServersDataFolderStartsWithEveryRow() throws IOException {
    Path original = Files.createTempDirectory(Path.of("target"), "backup-");
    Path restored = Files.createTempDirectory(Path.of("target"), "restored-");
    Map<String, Long> before;
    try (var server = Servicepunkt.start(TestServer.config(null, Map.of("dataDir", original.toString(), "demo", true)))) {
      book(server);
      before = rowCounts(server.pool());
    }
    assertTrue(before.getOrDefault("booking", 0L) > 0 && before.getOrDefault("service_point", 0L) > 0,
        "the demo data filled the database: " + before);
    assertFalse(Files.exists(original.resolve("postgres").resolve("postmaster.pid")), "the database was stopped");

    copy(original.resolve("postgres"), restored.resolve("postgres"));

    // demo off: a server on the restored copy adds nothing of its own
    try (var server = Servicepunkt.start(TestServer.config(null, Map.of("dataDir", restored.toString())))) {
      assertEquals(before, rowCounts(server.pool()));
      var point = server.pool().query("SELECT id FROM service_point ORDER BY name LIMIT 1").execute().await()
          .iterator().next().getUUID(0);
      var answer = io.vertx.ext.web.client.WebClient.create(server.vertx())
          .get(server.app().config().httpPort(), "localhost", "/api/v1/service-points/" + point).send().await();
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
    }
  }

  /** A resident's booking at the first free desk time of an offered service (the demo data has none). */
  private static void book(Servicepunkt server) {
    var client = io.vertx.ext.web.client.WebClient.create(server.vertx());
    int port = server.app().config().httpPort();
    var offered = server.pool().query("""
        SELECT o.service_point_id, o.service_id FROM service_offering o JOIN service s ON s.id = o.service_id
        WHERE 'desk' = ANY (s.channels) ORDER BY o.service_point_id, o.service_id""").execute().await();
    var today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Stockholm"));
    for (Row row : offered) {
      var slots = client.get(port, "localhost", "/api/v1/availability?servicePoint=" + row.getUUID(0) + "&service="
          + row.getUUID(1) + "&channel=desk&from=" + today.plusDays(1) + "&to=" + today.plusDays(14)).send().await()
          .bodyAsJsonObject().getJsonArray("slots");
      if (slots != null && !slots.isEmpty()) {
        var booked = client.post(port, "localhost", "/api/v1/bookings").sendJsonObject(new io.vertx.core.json.JsonObject()
            .put("servicePointId", row.getUUID(0).toString()).put("serviceId", row.getUUID(1).toString())
            .put("channel", "desk").put("start", slots.getJsonObject(0).getString("start")).put("name", "Karin Karlsson")
            .put("email", "karin@restore.example").put("language", "sv").put("consent", true)).await();
        assertEquals(201, booked.statusCode(), booked.bodyAsString());
        return;
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

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      all.forEach(source -> {
        try {
          Files.copy(source, to.resolve(from.relativize(source).toString()),
              java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
