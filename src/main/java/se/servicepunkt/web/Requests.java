package se.servicepunkt.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;

/** What a route reads from a request: its JSON body, its query string, ids in its path, a token. */
public final class Requests {
  private Requests() {
  }

  /** The request body, which must be a JSON object. */
  public static Input body(RoutingContext ctx) {
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() <= 0) {
      throw Problem.badRequest("A JSON object is required as the request body.");
    }
    Object value;
    try {
      value = Json.decodeValue(body.buffer());
    } catch (DecodeException e) {
      throw Problem.badRequest("The request body is not valid JSON.");
    }
    if (!(value instanceof JsonObject object)) {
      throw Problem.badRequest("The request body must be a JSON object.");
    }
    return Input.of(object);
  }

  /** A request body that may be left out: none reads as an empty object. */
  public static Input optionalBody(RoutingContext ctx) {
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() <= 0) {
      return Input.of(new JsonObject());
    }
    return body(ctx);
  }

  /** The query string; each parameter given once. */
  public static Input query(RoutingContext ctx) {
    var json = new JsonObject();
    ctx.queryParams().names().forEach(name -> json.put(name, ctx.queryParams().get(name)));
    return Input.of(json);
  }

  /** A path parameter that names a resource; a malformed id is answered as not found. */
  public static UUID pathId(RoutingContext ctx, String param, String what) {
    UUID id = Input.parseUuid(ctx.pathParam(param));
    if (id == null) {
      throw Problem.notFound(what);
    }
    return id;
  }

  /** A token sent in {@code header} or, where a link carries it, as the query parameter {@code token}; else null. */
  public static String token(RoutingContext ctx, String header) {
    String token = ctx.request().getHeader(header);
    return token != null ? token : ctx.queryParams().get("token");
  }
}
