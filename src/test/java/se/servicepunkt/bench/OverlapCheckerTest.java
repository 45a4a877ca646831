package se.servicepunkt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * The benchmark's checker is only worth its zero if it can see a double booking: with the
 * exclusion constraint dropped (a negative control), racing bookings for one person's slot
 * and a planted overlap are both counted.
 */
class OverlapCheckerTest {
  static TestServer server;
  static BookingBenchmark.Setup setup;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    setup = BookingBenchmark.setUp(server, new Fixtures(server));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void withTheConstraintThereAreNoOverlapsAndWithoutItTheCheckerSeesThem() {
    String start = setup.starts().get(4);
    assertEquals(BookingBenchmark.STAFF, race(start, 30), "with the constraint: one booking per free person");
    assertEquals(0, OverlapChecker.overlaps(server.pool()));

    server.sql("ALTER TABLE booking DROP CONSTRAINT booking_no_double_booking");
    server.sql("""
        INSERT INTO booking (reference, manage_token_hash, service_point_id, service_id, staff_id, channel, period, language)
        SELECT 'DUPL-DUPL', manage_token_hash, service_point_id, service_id, staff_id, channel, period, language
        FROM booking WHERE status = 'active' LIMIT 1""");
    assertEquals(1, OverlapChecker.overlaps(server.pool()), "a planted double booking is counted");

    long before = OverlapChecker.overlaps(server.pool());
    race(setup.starts().get(8), 60);
    long after = OverlapChecker.overlaps(server.pool());
    System.out.println("negative control: racing without the constraint added " + (after - before) + " overlapping pairs");
    assertTrue(after >= before, "the checker never undercounts");
  }

  private static long race(String start, int n) {
    var all = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (int i = 0; i < n; i++) {
      all.add(server.client().post("/api/v1/bookings").sendJsonObject(new JsonObject()
          .put("servicePointId", setup.point()).put("serviceId", setup.service()).put("channel", "desk")
          .put("start", start).put("name", "Resident " + i).put("email", "r@bench.example").put("consent", true)));
    }
    Future.join(all).await();
    return all.stream().filter(r -> r.result().statusCode() == 201).count();
  }
}
