package se.servicepunkt.db;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.core.http.ConnectionPoolTooBusyException;

/**
 * How the pools of {@link Database} say that they have no connection for a request: Vert.x 5.0's
 * pool fails with a {@link ConnectionPoolTooBusyException} when its wait queue is full, and when
 * the wait exceeded the acquisition timeout with a plain {@link VertxException} "Timeout waiting
 * for connection" or, from the SQL pool's own timer, a stackless throwable "Timeout" (neither has
 * a type of its own, so the message is the only sign; the lobby benchmark met the second one
 * under load, answered 500 until it was recognised here).
 */
public final class PoolBusy {
  static final String ACQUISITION_TIMEOUT = "Timeout waiting for connection";
  static final String POOL_TIMER_TIMEOUT = "Timeout";

  private PoolBusy() {
  }

  /** Whether {@code failure} means that no connection was free within the pool's limits. */
  public static boolean is(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException
        || failure instanceof VertxException && ACQUISITION_TIMEOUT.equals(failure.getMessage())
        || failure instanceof NoStackTraceThrowable && POOL_TIMER_TIMEOUT.equals(failure.getMessage());
  }
}
