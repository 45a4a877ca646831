package se.servicepunkt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test client of event streams reads a refused stream's answer even when the thread that
 * connects is held up right after the exchange has begun, as a loaded machine may hold it (the
 * route matrix once failed in a full run with "could not connect to …/queue/events"): a refusal
 * arrives whole within a millisecond, and its body was dropped when the handlers came later.
 */
class SseClientStallTest {
  private static final String NO_POINT = "/api/v1/service-points/00000000-0000-0000-0000-000000000000";

  @Test
  void aRefusedStreamIsReadWholeThoughTheConnectingThreadStalls() {
    try (var server = TestServer.start(Map.of())) {
      // without a token (401), and a screen's of no such point (404): refused long before the stall ends
      var refusals = Map.of(NO_POINT + "/queue/events", 401, NO_POINT + "/display/events", 404);
      for (var refusal : refusals.entrySet()) {
        String path = refusal.getKey();
        try (var sse = SseClient.connect(server.vertx(), server.port(), path, Map.of(), () -> pause(300))) {
          assertEquals(refusal.getValue(), sse.status(), path);
          assertTrue(sse.ended(), path);
          assertTrue(sse.body().contains("\"status\""), path + ": " + sse.body());
        }
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
