package se.servicepunkt.page;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.net.URI;
import java.util.Locale;

/**
 * The parts of every form a page posts: a small body, a check that the post comes from one of our
 * own pages, and the 303 answer of POST-redirect-GET.
 *
 * <p><b>Cross-site request forgery.</b> A form is accepted only from this server's own pages,
 * judged as browsers let a server judge it (the approach of Go's {@code CrossOriginProtection}):
 * when the browser sends {@code Sec-Fetch-Site} (every current browser does), it must be
 * {@code same-origin} (or {@code none}: typed or bookmarked by the person); otherwise, when it
 * sends {@code Origin}, that must be this server's own origin (its {@code Host}, or the configured
 * public URL); a request with neither header does not come from a current browser, so no other
 * site can have made a visitor's browser send it, and is accepted. No token is needed, so pages
 * keep working with cookies off. A refused post gets the 403 page.
 */
public final class Forms {
  private static final int BODY_LIMIT = 16 * 1024;
  private final String publicOrigin;

  /** @param publicUrl the URL residents reach the server at (e.g. behind a proxy) */
  public Forms(String publicUrl) {
    this.publicOrigin = origin(publicUrl);
  }

  /** Reads a form body of at most 16 KB (more: 413). */
  public Handler<RoutingContext> body() {
    return BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
  }

  /** Lets a post through only from this server's own pages; put it before {@link #body}. */
  public Handler<RoutingContext> sameOrigin() {
    return new SameOrigin();
  }

  /** A security-policy handler, so that Vert.x runs it before the body is read. */
  private final class SameOrigin implements SecurityPolicyHandler {
    @Override
    public void handle(RoutingContext ctx) {
      if (fromOurPages(ctx)) {
        ctx.next();
      } else {
        ctx.fail(403);
      }
    }
  }

  boolean fromOurPages(RoutingContext ctx) {
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null) {
      return "same-origin".equalsIgnoreCase(site) || "none".equalsIgnoreCase(site);
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String given = origin(origin);
    if (given == null) {
      return false; // "null" (a sandboxed frame, a file) or unreadable
    }
    if (given.equals(publicOrigin)) {
      return true;
    }
    String host = ctx.request().getHeader("Host");
    return host != null && given.endsWith("://" + host.toLowerCase(Locale.ROOT));
  }

  /** 303 See Other to {@code location}: the answer to a post that worked. */
  public static void seeOther(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }

  /** {@code scheme://host[:port]} in lower case, the port left out where it is the scheme's own; null if unreadable. */
  static String origin(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = URI.create(url.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean usual = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (usual ? "" : ":" + port);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
