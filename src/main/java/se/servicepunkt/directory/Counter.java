package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A desk, or a video room, that staff call visitors to. */
public record Counter(UUID id, UUID servicePointId, String name, String channel) {
  static Counter from(Row row) {
    return new Counter(row.getUUID("id"), row.getUUID("service_point_id"), row.getString("name"), row.getString("channel"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("servicePointId", servicePointId.toString())
        .put("name", name)
        .put("channel", channel);
  }
}
