package se.servicepunkt.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import se.servicepunkt.core.Problem;

/**
 * The API reads bodies as JSON only: a request with a body of any other type is refused with 415
 * before the body is read. Without this, a page on any other site could make a visitor's browser
 * post {@code text/plain} or a form (which browsers send cross-site without asking the server
 * first) and have it parsed as JSON; a JSON body from another origin needs a CORS preflight, which
 * this server answers only for the configured {@code corsOrigins}.
 */
public final class JsonBodies implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    var request = ctx.request();
    HttpMethod method = request.method();
    boolean mayHaveBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
        || method == HttpMethod.DELETE;
    if (mayHaveBody && hasBody(ctx) && !isJson(request.getHeader("Content-Type"))) {
      ctx.fail(Problem.unsupportedMediaType("Send the request body as application/json."));
      return;
    }
    ctx.next();
  }

  private static boolean hasBody(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      return !length.trim().equals("0");
    }
    return ctx.request().getHeader("Transfer-Encoding") != null;
  }

  /** application/json or application/*+json, with any parameters (charset). */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || mime.startsWith("application/") && mime.endsWith("+json");
  }
}
