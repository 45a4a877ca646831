package se.servicepunkt.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;

/**
 * Ends an API request that has not been answered within {@code requestTimeoutMs} with 503 and
 * {@code Retry-After} (through the failure handler). Event streams ({@code …/events}) are meant to
 * stay open and are left alone; the HTTP idle timeout and their heartbeats look after them.
 */
public final class RequestTimeout implements Handler<RoutingContext> {
  private static final String STREAM_SUFFIX = "/events";
  private final TimeoutHandler timeout;

  public RequestTimeout(long millis) {
    this.timeout = TimeoutHandler.create(millis, 503);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().path().endsWith(STREAM_SUFFIX)) {
      ctx.next();
    } else {
      timeout.handle(ctx);
    }
  }
}
