package se.servicepunkt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.servicepunkt.config.ConfigException;
import se.servicepunkt.testing.TestServer;

/**
 * The bulkheads: a request that cannot get a connection, whose statement waits too long, or
 * that takes too long as a whole is refused with 503 and {@code Retry-After} instead of waiting
 * without end. Each request below would otherwise wait for as long as the test holds what it needs,
 * so the client gives up after {@link #CLIENT_GIVES_UP_MS}; every bound under test is far below it.
 */
class LimitsTest {
  private static final long CLIENT_GIVES_UP_MS = 10_000;
  private static final String SERVICE_POINTS = "/api/v1/service-points";

  private static HttpResponse<Buffer> listServicePoints(TestServer server) {
    return server.client().get(SERVICE_POINTS).timeout(CLIENT_GIVES_UP_MS).send().await();
  }

  private static void assertRefusedForNow(HttpResponse<Buffer> response) {
    assertProblem(response, 503);
    assertTrue(Integer.parseInt(response.getHeader("Retry-After")) >= 1, "Retry-After in seconds");
  }

  /** A connection of the test's own that locks the service points until it is closed. */
  private static SqlConnection lockServicePoints(TestServer server) {
    SqlConnection conn = PgConnection.connect(server.vertx(), PgConnectOptions.fromUri(server.dbUrl())).await();
    conn.query("BEGIN").execute().await();
    conn.query("LOCK TABLE service_point IN ACCESS EXCLUSIVE MODE").execute().await();
    return conn;
  }

  @Test
  void aFullPoolWithNoRoomToWaitAnswers503AtOnce() {
    try (var server = TestServer.start(Map.of("dbPoolSize", 1, "dbWaitQueue", 0, "dbAcquireTimeoutMs", 5_000))) {
      SqlConnection only = server.pool().getConnection().await();
      try {
        assertRefusedForNow(listServicePoints(server));
      } finally {
        only.close().await();
      }
      assertEquals(200, listServicePoints(server).statusCode(), "served again once a connection is free");
    }
  }

  @Test
  void aRequestThatWaitsForAConnectionLongerThanTheAcquisitionTimeoutAnswers503() {
    try (var server = TestServer.start(Map.of("dbPoolSize", 1, "dbWaitQueue", 10, "dbAcquireTimeoutMs", 200))) {
      SqlConnection only = server.pool().getConnection().await();
      try {
        assertRefusedForNow(listServicePoints(server));
      } finally {
        only.close().await();
      }
    }
  }

  @Test
  void theStatementTimeoutIsSetOnTheRequestPoolOnly() {
    try (var server = TestServer.start(Map.of("dbStatementTimeoutMs", 200))) {
      assertEquals("200ms", server.sql("SHOW statement_timeout").iterator().next().getString(0));
      Pool streams = server.app().streamPool();
      assertEquals("0", streams.query("SHOW statement_timeout").execute().await().iterator().next().getString(0),
          "streams' and jobs' reads are not cut short");
    }
  }

  @Test
  void aStatementThatWaitsOnALockLongerThanTheStatementTimeoutAnswers503() {
    try (var server = TestServer.start(Map.of("dbStatementTimeoutMs", 200, "requestTimeoutMs", 60_000))) {
      SqlConnection lock = lockServicePoints(server);
      try {
        assertRefusedForNow(listServicePoints(server));
      } finally {
        lock.close().await();
      }
    }
  }

  @Test
  void aRequestBeyondTheRequestsInProgressIsRefusedAtOnceWhileOneWaits() {
    try (var server = TestServer.start(Map.of("requestsInFlight", 1, "dbStatementTimeoutMs", 60_000,
        "requestTimeoutMs", 60_000))) {
      SqlConnection lock = lockServicePoints(server);
      io.vertx.core.Future<HttpResponse<Buffer>> held;
      try {
        held = server.client().get(SERVICE_POINTS).timeout(CLIENT_GIVES_UP_MS).send();
        while (server.app().requestLimit().inProgress() < 1) {
          Thread.onSpinWait();
        }
        long sent = System.nanoTime();
        var refused = listServicePoints(server);
        long tookMs = (System.nanoTime() - sent) / 1_000_000;
        assertRefusedForNow(refused);
        assertTrue(tookMs < 1_000, "refused at once, not after a wait: " + tookMs + " ms");
        assertEquals(200, server.get("/health/ready").statusCode(), "outside the API: not counted");
      } finally {
        lock.close().await();
      }
      assertEquals(200, held.await().statusCode(), "the one in progress is answered");
      assertEquals(200, listServicePoints(server).statusCode(), "and the next is taken again");
      long until = System.nanoTime() + 5_000_000_000L;
      while (server.app().requestLimit().inProgress() > 0 && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertEquals(0, server.app().requestLimit().inProgress(), "every answered request leaves the count");
    }
  }

  @Test
  void aRequestThatTakesLongerThanTheRequestTimeoutAnswers503() {
    try (var server = TestServer.start(Map.of("dbStatementTimeoutMs", 60_000, "requestTimeoutMs", 300))) {
      SqlConnection lock = lockServicePoints(server);
      try {
        assertRefusedForNow(listServicePoints(server));
      } finally {
        lock.close().await();
      }
      assertEquals(200, listServicePoints(server).statusCode());
    }
  }

  @Test
  void theIdleTimeoutMustOutlastTheStreamsHeartbeat() {
    var refused = assertThrows(ConfigException.class, () -> TestServer.config("postgresql://localhost/x",
        Map.of("sseHeartbeatSeconds", 30, "httpIdleTimeoutSeconds", 30)));
    assertTrue(refused.getMessage().contains("httpIdleTimeoutSeconds"), refused.getMessage());
  }
}
