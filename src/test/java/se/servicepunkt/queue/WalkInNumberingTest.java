package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Ticket numbering does not hold a lock for the rest of the ticket's transaction: while one
 * ticket's transaction is held open after it was numbered, another visitor of the same letter at
 * the same point still gets a ticket. The test holds the first transaction open with a row lock
 * its ticket insert must wait for (the foreign key's share lock on the service, or on the booking
 * when checking in), and waits for PostgreSQL to report that insert waiting before the second
 * visitor comes.
 */
class WalkInNumberingTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(TODAY, LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());

  private static final String LOCK_SERVICE = "SELECT id FROM service WHERE id = $1 FOR UPDATE";
  private static final String LOCK_BOOKING = "SELECT id FROM booking WHERE reference = $1 FOR UPDATE";
  /** A ticket insert of this test's database waiting for a row lock. */
  private static final String INSERT_WAITING = """
      SELECT count(*) FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO ticket (%'""";

  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("checkInEarlyMinutes", 60, "checkInLateMinutes", 15), CLOCK);
    fx = new Fixtures(server);
    org = fx.organisation("Solna stad");
    admin = fx.token(org, "admin", "staff");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWalkInCompletesWhileAnotherOfTheSameLetterIsStillInItsTransaction() throws Exception {
    String parking = Lobby.service(server, admin, "Parkering", "K", "desk");
    String permits = Lobby.service(server, admin, "Körkort", "K", "desk"); // the same letter, so the same numbers
    Lobby lobby = new Lobby(server, fx, org, admin, "Solna centrum", parking, permits);

    SqlConnection holder = server.pool().getConnection().await();
    Transaction held = holder.begin().await();
    try {
      holder.preparedQuery(LOCK_SERVICE).execute(Tuple.of(UUID.fromString(parking))).await();
      var first = walkIn(lobby, parking);
      awaitInsertWaiting();

      var second = walkIn(lobby, permits).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(201, second.statusCode(), second.bodyAsString());
      assertEquals("K002", second.bodyAsJsonObject().getString("number"), "the number after the held ticket's");

      held.rollback().await();
      var firstDone = first.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(201, firstDone.statusCode(), firstDone.bodyAsString());
      assertEquals("K001", firstDone.bodyAsJsonObject().getString("number"));
    } finally {
      holder.close().await();
    }
  }

  @Test
  void aWalkInCompletesWhileACheckInOfTheSameLetterIsStillInItsTransaction() throws Exception {
    String general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk");
    Lobby lobby = new Lobby(server, fx, org, admin, "Solna stadshus", general);
    var staff = lobby.staff(general);
    var shift = new JsonObject().put("staffId", staff.id()).put("servicePointId", lobby.point).put("channel", "desk")
        .put("start", at("07:00").atOffset(ZoneOffset.UTC).toString())
        .put("end", at("20:00").atOffset(ZoneOffset.UTC).toString());
    assertEquals(201, server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", new JsonArray().add(shift)))
        .statusCode());
    var booking = created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", lobby.point)
        .put("serviceId", general).put("channel", "desk")
        .put("start", ZonedDateTime.of(TODAY, LocalTime.of(10, 20), STOCKHOLM).toOffsetDateTime().toString())
        .put("name", "Anna Andersson").put("email", "besok@example.se").put("language", "sv").put("consent", true)));

    SqlConnection holder = server.pool().getConnection().await();
    Transaction held = holder.begin().await();
    try {
      holder.preparedQuery(LOCK_BOOKING).execute(Tuple.of(booking.getString("reference"))).await();
      var checkIn = server.client().post("/api/v1/bookings/" + booking.getString("reference") + "/check-in")
          .addQueryParam("token", booking.getString("manageToken")).send();
      awaitInsertWaiting();

      var walkIn = walkIn(lobby, general).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(201, walkIn.statusCode(), walkIn.bodyAsString());
      assertEquals("A002", walkIn.bodyAsJsonObject().getString("number"), "the number after the check-in's");

      held.rollback().await();
      var checkedIn = checkIn.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(201, checkedIn.statusCode(), checkedIn.bodyAsString());
      assertEquals("A001", checkedIn.bodyAsJsonObject().getString("number"));
    } finally {
      holder.close().await();
    }
  }

  private static java.time.Instant at(String time) {
    return ZonedDateTime.of(TODAY, LocalTime.parse(time), STOCKHOLM).toInstant();
  }

  /** Waits until the held ticket's insert is blocked on the test's lock (so it has been numbered). */
  private static void awaitInsertWaiting() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.sql(INSERT_WAITING).iterator().next().getLong(0) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the first ticket's insert never waited for the held lock");
      }
      Thread.sleep(20);
    }
  }

  private static Future<HttpResponse<Buffer>> walkIn(Lobby lobby, String service) {
    return server.client().post("/api/v1/service-points/" + lobby.point + "/tickets")
        .sendJsonObject(new JsonObject().put("serviceId", service).put("channel", "desk").put("language", "sv"));
  }
}
