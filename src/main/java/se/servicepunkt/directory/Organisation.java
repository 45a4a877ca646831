package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A region, municipality or authority that serves residents. */
public record Organisation(UUID id, String name) {
  static Organisation from(Row row) {
    return new Organisation(row.getUUID("id"), row.getString("name"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("name", name);
  }
}
