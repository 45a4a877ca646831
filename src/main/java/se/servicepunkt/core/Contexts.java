package se.servicepunkt.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** Moving a future's completion to an event loop. */
public final class Contexts {
  private Contexts() {
  }

  /**
   * Completes on {@code context} (e.g. a stream's own event loop), whichever loop completed
   * {@code future}: a read shared by several streams completes where it started. With no
   * context, the future itself.
   */
  public static <T> Future<T> on(Context context, Future<T> future) {
    if (context == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> context.runOnContext(v -> promise.handle(result)));
    return promise.future();
  }
}
