package se.servicepunkt.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Eventually.within;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * An event committed by another instance reaches this instance's streams in its notification,
 * whole, without a read of the table (issue 10: the call → screen path on the instance that did
 * not make the call); an event too big for a notification is read from the table instead.
 */
class EventNotificationTest {
  @Test
  void anotherInstancesEventArrivesWholeInItsNotificationAndABigOneIsReadFromTheTable() throws Exception {
    var vertx = io.vertx.core.Vertx.vertx(); // a Vert.x of its own, closed with the test
    try (var server = TestServer.start()) {
      var fx = new Fixtures(server);
      String admin = fx.token(fx.organisation("Notiskommun"), "admin", "staff");
      UUID point = UUID.fromString(fx.servicePoint(admin, "Notiser", "office"));
      var options = PgConnectOptions.fromUri(server.dbUrl().replaceFirst("^postgres://", "postgresql://"));
      var hubPool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
      var hub = new LiveHub(vertx, hubPool, options, new EventStore(), 600);
      hub.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<LiveEvent> received = new CopyOnWriteArrayList<>();
      hub.subscribe(point, received::add).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      var store = new EventStore();

      // "another instance": the event is appended and committed through the test's own pool
      var big = new JsonObject().put("text", "x".repeat(9_000));
      LiveEvent first = server.pool().withTransaction(tx -> store.append(tx, point, "big", big))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(within(5_000, () -> received.size() == 1), "the big event arrives, read from the table");
      assertEquals(big, received.get(0).data());

      hubPool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // no more reads possible
      var small = new JsonObject().put("ticket", "A 17").put("counter", "Lucka 3").put("åäö", true);
      LiveEvent second = server.pool().withTransaction(tx -> store.append(tx, point, "called", small))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(within(5_000, () -> received.size() == 2), "the small event arrives without a read");
      LiveEvent got = received.get(1);
      assertEquals(first.id() + 1, got.id());
      assertEquals(second.id(), got.id());
      assertEquals("called", got.type());
      assertEquals(small, got.data());
      assertEquals(point, got.stream());
      assertEquals(second.at().toInstant(), got.at().toInstant(), "the same time as the row");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
