package se.servicepunkt.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import se.servicepunkt.Servicepunkt;
import se.servicepunkt.testing.TestServer;

/**
 * The embedded PostgreSQL is what a municipality runs when it configures no database, so it must
 * keep what it confirmed through a power cut: every commit flushed to disk before it is
 * acknowledged, and whole pages logged so a torn write can be repaired. (The library it comes
 * from starts servers for tests, with fsync and synchronous commits off.)
 */
class EmbeddedDatabaseDurabilityTest {
  /** What {@code SHOW name} answers. */
  private static final String SHOW = "SELECT current_setting($1)";

  @Test
  void theServersOwnEmbeddedDatabaseFlushesEveryCommitToDisk() throws IOException {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "durable-");
    var config = TestServer.config(null, Map.of("dataDir", dataDir.toString()));
    try (var server = Servicepunkt.start(config)) {
      var settings = new TreeMap<String, String>();
      for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        settings.put(name, server.pool().preparedQuery(SHOW).execute(Tuple.of(name)).await().iterator().next().getString(0));
      }
      assertEquals(new TreeMap<>(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on")), settings);
    }
  }
}
