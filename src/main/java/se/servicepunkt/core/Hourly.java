package se.servicepunkt.core;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** A housekeeping pass (retention, pruning) run at start-up and then every hour. */
public final class Hourly {
  private static final long HOUR_MS = 3_600_000L;

  private Hourly() {
  }

  /** Runs {@code pass} now and every hour; each pass reports its own outcome. */
  public static void run(Vertx vertx, Supplier<Future<?>> pass) {
    pass.get();
    vertx.setPeriodic(HOUR_MS, id -> pass.get());
  }
}
