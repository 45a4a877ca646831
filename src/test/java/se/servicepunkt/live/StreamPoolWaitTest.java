package se.servicepunkt.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestServer;

/**
 * Screens of many service points connecting at once (after a restart) all get their snapshots,
 * even with a stream pool of one connection and a wait bound of 8: the stream pool's reads wait
 * their turn instead of failing (a failed snapshot closes the stream). The live benchmark's ten thousand screens at 34 points were closed by the bounded
 * wait before.
 */
class StreamPoolWaitTest {
  @Test
  void screensOfManyPointsConnectingAtOnceAllGetTheirSnapshots() throws Exception {
    // the request pool takes every screen's opening reads at once (20 connections, 8 waiting); the
    // stream pool has one connection, and the requests' bound would let 8 of its reads wait
    try (var server = TestServer.start(Map.of("dbStreamPoolSize", 1, "dbPoolSize", 20, "dbWaitQueue", 8,
        "dbAcquireTimeoutMs", 2000))) {
      var fx = new Fixtures(server);
      String admin = fx.token(fx.organisation("Väntkommun"), "admin", "staff");
      List<String> paths = new ArrayList<>();
      for (int p = 0; p < 12; p++) {
        String point = fx.servicePoint(admin, "Punkt " + p, "office");
        var token = Fixtures.created(server.post("/api/v1/service-points/" + point + "/display-tokens", admin,
            new JsonObject().put("name", "Skärm")));
        for (int s = 0; s < 2; s++) {
          paths.add("/api/v1/service-points/" + point + "/display/events?token=" + token.getString("token"));
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(paths.size());
      List<SseClient> screens = new ArrayList<>();
      try {
        List<Future<SseClient>> opening = new ArrayList<>();
        for (String path : paths) {
          opening.add(pool.submit(() -> server.stream(path)));
        }
        int snapshots = 0;
        for (var open : opening) {
          var screen = open.get();
          screens.add(screen);
          if ("snapshot".equals(screen.next().event())) {
            snapshots++;
          }
        }
        assertEquals(paths.size(), snapshots, "every screen got its snapshot");
      } finally {
        pool.shutdownNow();
        screens.forEach(SseClient::close);
      }
    }
  }
}
