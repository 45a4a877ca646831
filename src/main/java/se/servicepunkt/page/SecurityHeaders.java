package se.servicepunkt.page;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers every answer of the server carries (pages, static files, the API alike): a
 * Content-Security-Policy that allows scripts, styles, images and connections (event streams) only
 * from this server and never inline, forms posting only here, no framing, and no {@code <base>};
 * no referrer (manage and ticket links carry tokens); no content sniffing.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  public static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'");

  @Override
  public void handle(RoutingContext ctx) {
    apply(ctx.response().headers());
    ctx.next();
  }

  public static void apply(MultiMap headers) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("Referrer-Policy", "no-referrer")
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Cross-Origin-Opener-Policy", "same-origin");
  }
}
