package se.servicepunkt.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Function;
import se.servicepunkt.core.Allowances;
import se.servicepunkt.core.Problem;

/**
 * Residents' writes (booking, taking a ticket, finding a booking) from one client address: at most
 * {@code perMinute} a minute, in a token bucket that holds a minute's worth (a family booking
 * together is not refused, a script is). One more is refused with 429 and the seconds until the
 * bucket has a token again in {@code Retry-After}; nothing is changed. Requests the {@code exempt}
 * check passes (staff with a valid token, booking on a resident's behalf) are not counted. The
 * address is the client's as {@link ClientAddress} tells it (behind nginx, from
 * {@code X-Forwarded-For} only when the peer is a trusted proxy). Buckets of addresses not seen
 * for ten minutes are forgotten, and at most 100,000 are kept.
 */
public final class AddressRateLimit implements Handler<RoutingContext> {
  private final Allowances allowances;
  private final ClientAddress addresses;
  private final Function<RoutingContext, Future<Boolean>> exempt;

  public AddressRateLimit(int perMinute, ClientAddress addresses, Function<RoutingContext, Future<Boolean>> exempt) {
    this.allowances = new Allowances(perMinute, Duration.ofMinutes(1), Duration.ofMinutes(10), 100_000);
    this.addresses = addresses;
    this.exempt = exempt;
  }

  /**
   * When the exemption takes a moment (a bearer token to check), the request is paused meanwhile:
   * a form's body handler comes after this one, and a body that arrived, and ended, while the check
   * ran would be lost to it (a 500 on the residents' forms posted with an Authorization header).
   */
  @Override
  public void handle(RoutingContext ctx) {
    Future<Boolean> check = exempt.apply(ctx);
    if (check.isComplete()) {
      decide(ctx, check);
      return;
    }
    ctx.request().pause();
    check.onComplete(checked -> {
      ctx.request().resume();
      decide(ctx, checked);
    });
  }

  private void decide(RoutingContext ctx, io.vertx.core.AsyncResult<Boolean> checked) {
    if (checked.succeeded() && checked.result()) {
      ctx.next();
      return;
    }
    long seconds = allowances.take(addresses.of(ctx));
    if (seconds == 0) {
      ctx.next();
    } else {
      ctx.fail(Problem.tooManyRequests("Too many requests from this address; try again in " + seconds + " s.", seconds));
    }
  }
}
