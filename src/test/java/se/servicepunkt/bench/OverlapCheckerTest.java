package se.servicepunkt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * The benchmark's checker is only worth its zero if it can see a double booking: with the
 * exclusion constraint dropped (a negative control), racing bookings for one person's slot
 * and a planted overlap are both counted.
 *
 * <p>Free requests racing for a slot seldom overlap in time closely enough to double-book
 * without the constraint (one booking is one short statement), so the race is arranged: with
 * one person left free, each booking waits inside its statement, after it has seen that person
 * free and before it commits, until {@link #RACERS} of them are waiting; then all go on.
 */
class OverlapCheckerTest {
  /** Bookings held at once inside their statements: each pair of them double-books. */
  static final int RACERS = 3;
  /** The advisory lock a booking's insert waits for while the test holds it. */
  private static final String HOLD = "SELECT pg_advisory_lock(4711)";
  private static final String RELEASE = "SELECT pg_advisory_unlock(4711)";
  private static final String WAITING = """
      SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4711 AND NOT granted""";
  private static final String WAIT_FUNCTION = """
      CREATE FUNCTION wait_for_the_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(4711);
        RETURN NEW;
      END $$""";
  private static final String WAIT_TRIGGER = """
      CREATE TRIGGER booking_waits_for_the_test AFTER INSERT ON booking
      FOR EACH ROW EXECUTE FUNCTION wait_for_the_test()""";
  private static final String BOOKED_PEOPLE = """
      SELECT count(*), count(DISTINCT staff_id) FROM booking WHERE status = 'active' AND lower(period) = $1""";

  static TestServer server;
  static BookingBenchmark.Setup setup;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("dbPoolSize", 8));
    setup = BookingBenchmark.setUp(server, new Fixtures(server));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void withTheConstraintThereAreNoOverlapsAndWithoutItTheCheckerSeesThem() throws InterruptedException {
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
    String slot = setup.starts().get(8);
    for (int i = 1; i < BookingBenchmark.STAFF; i++) {
      assertEquals(1, race(slot, 1), "one by one, all but one person booked");
    }
    server.sql(WAIT_FUNCTION);
    server.sql(WAIT_TRIGGER);
    long booked = raceHeldInsideTheirStatements(slot);
    long added = OverlapChecker.overlaps(server.pool()) - before;
    var people = server.sql(BOOKED_PEOPLE, OffsetDateTime.parse(slot)).iterator().next();
    assertEquals(RACERS, booked, "without the constraint every racer books");
    assertEquals(BookingBenchmark.STAFF, people.getLong(1), "the racers all took the one free person");
    assertTrue(added > 0, "negative control: " + people.getLong(0) + " bookings of " + people.getLong(1)
        + " people at one time, and the checker counts " + added + " overlapping pairs");
    assertEquals(RACERS * (RACERS - 1) / 2, added, "each pair of racers is one overlapping pair");
  }

  /**
   * Sends {@link #RACERS} bookings for {@code start} while holding the lock their inserts wait
   * for, lets them go once all are waiting (so each saw the same people free), and returns how
   * many were booked.
   */
  private static long raceHeldInsideTheirStatements(String start) throws InterruptedException {
    var held = server.pool().getConnection().await();
    try {
      held.query(HOLD).execute().await();
      var all = new ArrayList<Future<HttpResponse<Buffer>>>();
      try {
        for (int i = 0; i < RACERS; i++) {
          all.add(book(start, "Racer " + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long waiting = 0;
        while (waiting < RACERS && System.nanoTime() < deadline) {
          Thread.sleep(20);
          waiting = held.query(WAITING).execute().await().iterator().next().getLong(0);
        }
        assertEquals(RACERS, waiting, "all racers waiting inside their statements");
      } finally {
        held.query(RELEASE).execute().await();
      }
      Future.join(all).await();
      return all.stream().filter(r -> r.result().statusCode() == 201).count();
    } finally {
      held.close().await();
    }
  }

  private static long race(String start, int n) {
    var all = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (int i = 0; i < n; i++) {
      all.add(book(start, "Resident " + i));
    }
    Future.join(all).await();
    return all.stream().filter(r -> r.result().statusCode() == 201).count();
  }

  private static Future<HttpResponse<Buffer>> book(String start, String name) {
    return server.client().post("/api/v1/bookings").sendJsonObject(new JsonObject()
        .put("servicePointId", setup.point()).put("serviceId", setup.service()).put("channel", "desk")
        .put("start", start).put("name", name)
        // one address each: one resident's bookings are counted under a lock of their own address
        .put("email", name.replace(' ', '.').toLowerCase() + "@bench.example").put("consent", true));
  }
}
