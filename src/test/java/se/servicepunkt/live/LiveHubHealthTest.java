package se.servicepunkt.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Eventually.within;

import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.TestServer;

/**
 * Issue 12, item 4: an instance whose live feed cannot read the database says so within a few
 * seconds ({@link LiveHub#live} turns false, so its streams stop sending named heartbeats and the
 * screens mark themselves stale), and is live again once reads work.
 */
class LiveHubHealthTest {
  @Test
  void aFeedThatCannotReadTheDatabaseIsNotLiveWithinAFewSeconds() throws Exception {
    var vertx = io.vertx.core.Vertx.vertx(); // a Vert.x of its own, closed with the test
    try (var server = TestServer.start()) {
      var options = PgConnectOptions.fromUri(server.dbUrl().replaceFirst("^postgres://", "postgresql://"));
      var pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
      var hub = new LiveHub(vertx, pool, options, new EventStore(), 1);
      hub.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      UUID point = UUID.randomUUID();
      var consumer = hub.subscribe(point, event -> { }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(within(3_000, () -> hub.live(point)), "live while the database answers");

      pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // every read now fails
      long start = System.nanoTime();
      assertTrue(within(6_000, () -> !hub.live(point)), "not live once reads fail");
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6), "within a few seconds");
      hub.unsubscribe(point, consumer);
      assertFalse(hub.live(point), "a point without streams here has no live feed");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
