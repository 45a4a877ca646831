package se.servicepunkt.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import se.servicepunkt.core.Problem;

/**
 * The instance's door: at most {@code max} API requests in progress at once, over all its event
 * loops; one more is refused at once with 503 and {@code Retry-After: 1} instead of joining a queue
 * (of the event loops, the database pool or the password workers) it would wait in for seconds.
 * Above capacity the server then stays quick for the requests it takes and tells the others to
 * come back, rather than being slow for everyone. Event streams ({@code …/events}) are long-lived
 * and counted by {@link StreamLimits} instead.
 */
public final class RequestLimit implements Handler<RoutingContext> {
  private static final String STREAM_SUFFIX = "/events";
  private final int max;
  private final AtomicInteger inProgress = new AtomicInteger();

  public RequestLimit(int max) {
    this.max = max;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().path().endsWith(STREAM_SUFFIX)) {
      ctx.next();
      return;
    }
    if (inProgress.incrementAndGet() > max) {
      inProgress.decrementAndGet();
      ctx.fail(Problem.unavailable("The server is busy at this moment; try again shortly.", 1));
      return;
    }
    ctx.addEndHandler(done -> inProgress.decrementAndGet());
    ctx.next();
  }

  /** API requests in progress on this instance now. */
  public int inProgress() {
    return inProgress.get();
  }
}
