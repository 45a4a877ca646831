package se.servicepunkt.web;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * How a handler answers: it ends its future chain with {@code .onComplete(Responses.ok(ctx))}
 * (or {@code created}, {@code list}, {@code noContent}); a success is written as JSON, a failure
 * goes to the one failure handler, which answers problem+json.
 */
public final class Responses {
  /**
   * Jackson's streaming codec, always: Vert.x would switch to jackson-databind's slower
   * map serialiser whenever that library happens to be on the class path.
   */
  private static final JacksonCodec JSON = new JacksonCodec();

  private Responses() {
  }

  /** 200 with the object. */
  public static Handler<AsyncResult<JsonObject>> ok(RoutingContext ctx) {
    return answer(ctx, body -> send(ctx, 200, JSON.toBuffer(body, false)));
  }

  /** 200 with the array. */
  public static Handler<AsyncResult<JsonArray>> array(RoutingContext ctx) {
    return answer(ctx, body -> send(ctx, 200, JSON.toBuffer(body, false)));
  }

  /** 200 with the object, or 204 when there is none (e.g. nobody to call). */
  public static Handler<AsyncResult<JsonObject>> okOrNoContent(RoutingContext ctx) {
    return answer(ctx, body -> {
      if (body == null) {
        ctx.response().setStatusCode(204).end();
      } else {
        send(ctx, 200, JSON.toBuffer(body, false));
      }
    });
  }

  /** 200 with the items as a JSON array. */
  public static <T> Handler<AsyncResult<List<T>>> list(RoutingContext ctx, Function<T, JsonObject> toJson) {
    return answer(ctx, items -> send(ctx, 200, JSON.toBuffer(array(items, toJson), false)));
  }

  /** 201 for one resource created, at the location {@code location} makes of its JSON. */
  public static Handler<AsyncResult<JsonObject>> created(RoutingContext ctx, Function<JsonObject, String> location) {
    return answer(ctx, body -> {
      ctx.response().putHeader("Location", location.apply(body));
      send(ctx, 201, JSON.toBuffer(body, false));
    });
  }

  /** 201 for several resources created at once. */
  public static <T> Handler<AsyncResult<List<T>>> createdAll(RoutingContext ctx, Function<T, JsonObject> toJson) {
    return answer(ctx, items -> send(ctx, 201, JSON.toBuffer(array(items, toJson), false)));
  }

  /** 204 once the change is done. */
  public static <T> Handler<AsyncResult<T>> noContent(RoutingContext ctx) {
    return answer(ctx, nothing -> ctx.response().setStatusCode(204).end());
  }

  private static <T> Handler<AsyncResult<T>> answer(RoutingContext ctx, Handler<T> success) {
    return result -> {
      if (ctx.response().ended()) {
        return; // the request timeout answered 503 while this was still running
      }
      if (result.succeeded()) {
        success.handle(result.result());
      } else {
        ctx.fail(result.cause());
      }
    };
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> toJson) {
    return new JsonArray(items.stream().map(toJson).toList());
  }

  private static void send(RoutingContext ctx, int status, Buffer json) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(json);
  }
}
