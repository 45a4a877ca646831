package se.servicepunkt.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/** Success answers in JSON. */
public final class Responses {
  /**
   * Jackson's streaming codec, always: Vert.x would switch to jackson-databind's slower
   * map serialiser whenever that library happens to be on the class path.
   */
  private static final JacksonCodec JSON = new JacksonCodec();

  private Responses() {
  }

  public static void ok(RoutingContext ctx, JsonObject body) {
    send(ctx, 200, JSON.toBuffer(body, false));
  }

  public static void ok(RoutingContext ctx, JsonArray body) {
    send(ctx, 200, JSON.toBuffer(body, false));
  }

  public static <T> void list(RoutingContext ctx, List<T> items, Function<T, JsonObject> toJson) {
    ok(ctx, new JsonArray(items.stream().map(toJson).toList()));
  }

  /** 201 for several resources created at once. */
  public static <T> void createdAll(RoutingContext ctx, List<T> items, Function<T, JsonObject> toJson) {
    send(ctx, 201, JSON.toBuffer(new JsonArray(items.stream().map(toJson).toList()), false));
  }

  public static void created(RoutingContext ctx, String location, JsonObject body) {
    ctx.response().putHeader("Location", location);
    send(ctx, 201, JSON.toBuffer(body, false));
  }

  public static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  private static void send(RoutingContext ctx, int status, Buffer json) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(json);
  }
}
