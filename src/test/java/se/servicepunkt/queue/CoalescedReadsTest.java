package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many requests, few reads: a request while a read runs asks for one more after it, and requests
 * while a read waits for its interval to end join that read instead of asking for yet another.
 */
class CoalescedReadsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void requestsWhileAReadWaitsForItsIntervalJoinIt() throws InterruptedException {
    var reads = new AtomicInteger();
    var coalesced = new CoalescedReads<Integer>(vertx, Duration.ofMillis(1_000), () -> {
      int n = reads.incrementAndGet();
      Promise<Integer> done = Promise.promise();
      vertx.setTimer(10, t -> done.complete(n));
      return done.future();
    }, result -> { });

    assertEquals(1, coalesced.request().await(), "the first request reads at once");
    Future<Integer> waiting = coalesced.request(); // within the interval: waits for it to end
    Thread.sleep(50);
    Future<Integer> joining = coalesced.request(); // the read has not started yet: joins it
    assertEquals(2, waiting.await());
    assertEquals(2, joining.await(), "the same read");
    Thread.sleep(1_200); // past the interval
    assertEquals(2, reads.get(), "no read more than the changes need");

    Future<Integer> running = coalesced.request(); // the interval is over: reads at once
    Future<Integer> after = coalesced.request(); // while that read runs: one more after it
    assertEquals(3, running.await());
    assertEquals(4, after.await(), "a change during a read is read again after it");
  }
}
