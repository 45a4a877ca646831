package se.servicepunkt.web;

import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.db.DatabaseGone;
import se.servicepunkt.db.PoolBusy;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP answers, always {@code application/problem+json}. */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  /** Seconds a client refused for lack of a connection or time waits before it tries again. */
  static final long RETRY_AFTER_SECONDS = 2;

  @Override
  public void handle(RoutingContext ctx) {
    Problem problem = toProblem(ctx.failure(), ctx.statusCode());
    if (problem.status() == 503) {
      LOG.debug("{} {} refused: {}", ctx.request().method(), ctx.request().path(), problem.getMessage());
    } else if (problem.status() >= 500) {
      // Method and path only: bodies and query strings may carry personal data.
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx, problem);
  }

  public static void send(RoutingContext ctx, Problem problem) {
    var response = ctx.response();
    if (response.ended()) {
      return; // already answered, e.g. 503 by the request timeout while the work went on
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(problem.status()).putHeader("Content-Type", "application/problem+json");
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    if (problem.retryAfterSeconds() != null) {
      response.putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
    }
    response.end(problem.toJson(ctx.request().path()).encode());
  }

  public static Problem toProblem(Throwable failure, int status) {
    if (failure instanceof Problem p) {
      return p;
    }
    if (failure instanceof DecodeException || failure instanceof IllegalStateException
        && failure.getCause() instanceof DecodeException) {
      return Problem.badRequest("The request body is not valid JSON.");
    }
    if (failure instanceof HttpException http) {
      return fromStatus(http.getStatusCode(), http.getPayload());
    }
    if (PoolBusy.is(failure)) {
      return Problem.unavailable("The server is busy; please try again shortly.", RETRY_AFTER_SECONDS);
    }
    if (DatabaseGone.is(failure)) {
      return se.servicepunkt.core.SqlStates.unreachable();
    }
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      Problem known = SqlStates.fallback(pg.getSqlState());
      return known != null ? known : internal();
    }
    if (failure == null) {
      return fromStatus(status, null);
    }
    return internal();
  }

  private static Problem fromStatus(int status, String payload) {
    return switch (status) {
      case 400 -> Problem.badRequest(payload != null ? payload : "The request could not be read.");
      case 401 -> Problem.unauthorized("A valid bearer token is required.");
      case 403 -> Problem.forbidden("You may not do that.");
      case 404 -> Problem.notFound("The resource");
      case 405 -> new Problem(405, "Method not allowed", "This resource does not accept that method.", java.util.List.of(), null);
      case 413 -> new Problem(413, "Payload too large", "The request body is larger than allowed.", java.util.List.of(), null);
      case 415 -> new Problem(415, "Unsupported media type", "Send the body as application/json.", java.util.List.of(), null);
      case 503 -> Problem.unavailable("The server is busy and the request took too long; please try again shortly.",
          RETRY_AFTER_SECONDS);
      default -> status >= 400 && status < 500
          ? new Problem(status, "Request failed", payload != null ? payload : "The request failed.", java.util.List.of(), null)
          : internal();
    };
  }

  private static Problem internal() {
    return new Problem(500, "Internal error", "Something went wrong on our side; nothing was changed.", java.util.List.of(), null);
  }
}
