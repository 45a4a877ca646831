package se.servicepunkt.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.FailureHandler;

/**
 * A database that is not there (restarting, failing over) answers 503 with Retry-After, not 500:
 * the lobby's fault run restarted PostgreSQL and 58 requests answered 500.
 */
class DatabaseGoneTest {
  @Test
  void aRefusedConnectionIsA503ToTryAgain() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    Vertx vertx = Vertx.vertx();
    try {
      var pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(port)
          .setDatabase("none").setUser("none").setPassword("none")).using(vertx).build();
      Throwable failure = pool.query("SELECT 1").execute().transform(done -> io.vertx.core.Future.succeededFuture(done.cause()))
          .toCompletionStage().toCompletableFuture().get();
      assertNotNull(failure);
      Problem problem = FailureHandler.toProblem(failure, 500);
      assertEquals(503, problem.status(), failure.toString());
      assertNotNull(problem.retryAfterSeconds());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void aDatabaseShuttingDownOrALostConnectionIsA503() {
    for (String state : new String[] {"57P01", "57P03", "08006"}) {
      var problem = FailureHandler.toProblem(new PgException("the database system is shutting down", "FATAL", state, null), 500);
      assertEquals(503, problem.status(), state);
    }
    assertEquals(500, FailureHandler.toProblem(new PgException("something else", "ERROR", "XX000", null), 500).status());
    // the connection reset under a statement while PostgreSQL restarted (the fault run's last two 500s)
    assertEquals(503, FailureHandler.toProblem(new java.net.SocketException("Connection reset"), 500).status());
  }
}
