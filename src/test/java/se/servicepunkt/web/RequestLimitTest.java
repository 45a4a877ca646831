package se.servicepunkt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The door's adaptive number, driven by a hand-moved clock. */
class RequestLimitTest {
  private long now;
  private final RequestLimit door = new RequestLimit(64, 50, () -> now);

  /** {@code n} requests let in and ended, each taking {@code ms}, spread over one window. */
  private void window(int n, long ms) {
    for (int i = 0; i < n; i++) {
      assertTrue(door.enter());
      now += TimeUnit.MILLISECONDS.toNanos(RequestLimit.WINDOW_MS) / n;
      door.leave(TimeUnit.MILLISECONDS.toNanos(ms));
    }
  }

  @Test
  void theFullNumberIsLetInAndOneMoreIsRefusedAtOnce() {
    for (int i = 0; i < 64; i++) {
      assertTrue(door.enter());
    }
    assertFalse(door.enter(), "the 65th is refused");
    assertEquals(64, door.inProgress(), "a refusal is not counted as in progress");
    door.leave(1);
    assertTrue(door.enter(), "one ended, one more let in");
  }

  @Test
  void aStandingQueueShrinksTheNumberAndQuickRequestsGrowItBack() {
    window(20, 5);
    window(20, 5);
    assertEquals(64, door.limit(), "quick requests: the whole number");

    window(20, 80); // even the quickest took 80 ms: one slow window is not yet a standing queue
    window(20, 80);
    assertEquals(64, door.limit());
    window(20, 80);
    assertEquals(48, door.limit(), "two slow windows running: a quarter fewer");
    for (int i = 0; i < 10; i++) {
      window(20, 80);
    }
    assertEquals(4, door.limit(), "down to the floor, never to nothing");
    for (int i = 0; i < 4; i++) {
      assertTrue(door.enter());
    }
    assertFalse(door.enter(), "beyond the shrunk number: refused at once");
    for (int i = 0; i < 4; i++) {
      door.leave(TimeUnit.MILLISECONDS.toNanos(5));
    }

    for (int i = 0; i < 16; i++) {
      window(20, 5);
    }
    assertEquals(64, door.limit(), "back to the whole number within 16 quick windows (1.6 s)");
  }

  @Test
  void aFewSlowRequestsDoNotShrinkIt() {
    for (int i = 0; i < 5; i++) {
      window(2, 900); // a sign-in or two, slow by design, in a quiet window
      window(20, 3);
    }
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 19; j++) { // mostly slow requests, but some are quick: no queue stands
        assertTrue(door.enter());
        now += TimeUnit.MILLISECONDS.toNanos(5);
        door.leave(TimeUnit.MILLISECONDS.toNanos(j == 7 ? 4 : 400));
      }
    }
    assertEquals(64, door.limit());
  }
}
