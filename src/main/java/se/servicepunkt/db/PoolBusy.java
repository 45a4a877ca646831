package se.servicepunkt.db;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;

/**
 * How the pools of {@link Database} say that they have no connection for a request: Vert.x 5.0's
 * pool fails with a {@link ConnectionPoolTooBusyException} when its wait queue is full, and with
 * a plain {@link VertxException} "Timeout waiting for connection" when the wait exceeded the
 * acquisition timeout (it has no type of its own, so the message is the only sign).
 */
public final class PoolBusy {
  static final String ACQUISITION_TIMEOUT = "Timeout waiting for connection";

  private PoolBusy() {
  }

  /** Whether {@code failure} means that no connection was free within the pool's limits. */
  public static boolean is(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException
        || failure instanceof VertxException && ACQUISITION_TIMEOUT.equals(failure.getMessage());
  }
}
