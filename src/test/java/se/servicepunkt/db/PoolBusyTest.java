package se.servicepunkt.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.TestDatabase;

/** Every way Vert.x's pool says "no connection within the limits" is recognised (answered 503, not 500). */
class PoolBusyTest {
  @Test
  void everyRefusalOfAFullPoolIsRecognised() {
    Vertx vertx = Vertx.vertx();
    try {
      var pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(4)
              .setConnectionTimeout(100).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
          .connectingTo(PgConnectOptions.fromUri(TestDatabase.fresh())).using(vertx).build();
      var held = pool.getConnection().recover(slowFirstConnect -> pool.getConnection())
          .recover(slowFirstConnect -> pool.getConnection()).await(); // opening it may take longer than 100 ms
      List<Future<?>> waits = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        waits.add(pool.getConnection());
      }
      Future.join(waits).otherwiseEmpty().await();
      held.close().await();
      List<Throwable> refusals = waits.stream().filter(Future::failed).map(Future::cause).toList();
      assertEquals(12, refusals.size(), "none got the only connection while it was held");
      refusals.forEach(cause -> assertTrue(PoolBusy.is(cause), () -> "not recognised: " + cause));
      pool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void startUpWaitsForAFirstConnectionThatTakesLongerThanTheAcquisitionTimeout() {
    Vertx vertx = Vertx.vertx();
    try {
      var pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)
              .setConnectionTimeout(1).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
          .connectingTo(PgConnectOptions.fromUri(TestDatabase.fresh())).using(vertx).build();
      Database.awaitFirstConnection(pool, java.time.Duration.ofSeconds(20));
      pool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aFailureOtherThanAFullPoolEndsStartUpAtOnce() {
    Vertx vertx = Vertx.vertx();
    try {
      var options = PgConnectOptions.fromUri(TestDatabase.fresh()).setDatabase("no_such_database");
      var pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
      long started = System.nanoTime();
      var refused = org.junit.jupiter.api.Assertions.assertThrows(DatabaseException.class,
          () -> Database.awaitFirstConnection(pool, java.time.Duration.ofSeconds(20)));
      assertTrue(System.nanoTime() - started < 5_000_000_000L, "not retried for the whole wait");
      assertTrue(refused.getMessage().contains("cannot connect"), refused::getMessage);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void thePoolTimersPlainTimeoutIsRecognisedAndNothingElseOfItsKind() {
    Promise<Void> timedOut = Promise.promise();
    timedOut.fail("Timeout"); // what SqlConnectionPool's timer completes a waiter with in Vert.x 5.0.8
    assertTrue(PoolBusy.is(timedOut.future().cause()));
    assertFalse(PoolBusy.is(new NoStackTraceThrowable("Connection refused")));
    assertFalse(PoolBusy.is(new IllegalStateException("Timeout")));
  }
}
