package se.servicepunkt.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Times;

/**
 * A counter, with its open (or paused) session and who holds it, if there is one; a paused session
 * with why ({@code lunch}, {@code meeting}, {@code admin}, {@code other}, or null when not said) and since when.
 */
record StaffedCounter(UUID id, UUID pointId, UUID hostOrganisationId, String name, String channel, UUID sessionId,
                      UUID staffId, List<String> channels, String sessionStatus, String pauseReason,
                      OffsetDateTime pausedAt) {
  static final String WHAT = "The counter";
  /** Why staff pause a counter. */
  static final java.util.Set<String> PAUSE_REASONS = java.util.Set.of("lunch", "meeting", "admin", "other");

  static StaffedCounter from(Row row) {
    String[] channels = row.getArrayOfStrings("channels");
    return new StaffedCounter(row.getUUID("id"), row.getUUID("service_point_id"), row.getUUID("organisation_id"),
        row.getString("name"), row.getString("channel"), row.getUUID("session_id"), row.getUUID("staff_id"),
        channels == null ? List.of() : List.of(channels), row.getString("status"), row.getString("pause_reason"),
        row.getOffsetDateTime("paused_at"));
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
            .put("staffId", staffId.toString()).put("channels", new JsonArray(channels)).put("status", sessionStatus)
            .put("pauseReason", pauseReason).put("pausedAt", pausedAt == null ? null : Times.iso(pausedAt)));
  }
}
