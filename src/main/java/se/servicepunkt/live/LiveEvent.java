package se.servicepunkt.live;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One event of a stream (a service point's queue), as stored in {@code queue_event} and as fanned
 * out to the streams of this instance. What {@code data} holds is the writing feature's business;
 * it must hold no personal data, since screens may show it. Treat it as read-only: one instance
 * is shared by every stream that receives it.
 */
public record LiveEvent(UUID stream, long id, String type, JsonObject data, OffsetDateTime at,
                         Map<String, Buffer> frames) {

  public LiveEvent(UUID stream, long id, String type, JsonObject data, OffsetDateTime at) {
    this(stream, id, type, data, at, new ConcurrentHashMap<>());
  }

  /** The event a notification carries whole (see {@link EventStore}), or null when it names only the key and id. */
  static LiveEvent fromNotification(String payload) {
    if (payload.isEmpty() || payload.charAt(0) != '{') {
      return null;
    }
    JsonObject whole = new JsonObject(payload);
    return new LiveEvent(UUID.fromString(whole.getString("p")), whole.getLong("i"), whole.getString("t"),
        whole.getJsonObject("d"), OffsetDateTime.parse(whole.getString("a")));
  }

  static LiveEvent from(Row row) {
    return new LiveEvent(row.getUUID("service_point_id"), row.getLong("id"), row.getString("type"),
        row.getJsonObject("data"), row.getOffsetDateTime("created_at"));
  }

  /**
   * The event's server-sent events frame as one kind of stream shows it (null: nothing to show),
   * built and encoded once however many streams of that kind receive it: thousands of screens
   * may share one event, and one buffer can be written to all of them.
   */
  public Buffer frame(String kind, Function<LiveEvent, Buffer> render) {
    Buffer frame = frames.get(kind);
    if (frame == null) {
      Buffer rendered = render.apply(this);
      frame = rendered == null ? NOTHING : rendered;
      frames.putIfAbsent(kind, frame);
    }
    return frame == NOTHING ? null : frame;
  }

  private static final Buffer NOTHING = Buffer.buffer();
}
