package se.servicepunkt.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;

/** A counter, with its open (or paused) session and who holds it, if there is one. */
record StaffedCounter(UUID id, UUID pointId, UUID hostOrganisationId, String name, String channel, UUID sessionId,
                      UUID staffId, List<String> channels, String sessionStatus) {
  static final String WHAT = "The counter";

  static StaffedCounter from(Row row) {
    String[] channels = row.getArrayOfStrings("channels");
    return new StaffedCounter(row.getUUID("id"), row.getUUID("service_point_id"), row.getUUID("organisation_id"),
        row.getString("name"), row.getString("channel"), row.getUUID("session_id"), row.getUUID("staff_id"),
        channels == null ? List.of() : List.of(channels), row.getString("status"));
  }

  boolean open() {
    return "open".equals(sessionStatus);
  }

  boolean staffed() {
    return sessionId != null;
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("name", name).put("channel", channel)
        .put("session", sessionId == null ? null : new JsonObject().put("id", sessionId.toString())
            .put("staffId", staffId.toString()).put("channels", new JsonArray(channels)).put("status", sessionStatus));
  }
}
