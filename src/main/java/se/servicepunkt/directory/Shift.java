package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import se.servicepunkt.core.Times;

/** A member of staff available at a service point, at its desks or by video, from start to end. */
public record Shift(UUID id, UUID staffId, UUID organisationId, UUID servicePointId, ZoneId zone, String channel,
                    OffsetDateTime start, OffsetDateTime end) {

  static Shift from(Row row) {
    return new Shift(row.getUUID("id"), row.getUUID("staff_id"), row.getUUID("organisation_id"),
        row.getUUID("service_point_id"), ZoneId.of(row.getString("time_zone")), row.getString("channel"),
        row.getOffsetDateTime("starts_at"), row.getOffsetDateTime("ends_at"));
  }

  /** Start and end are written with the service point's offset at each instant. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("staffId", staffId.toString())
        .put("servicePointId", servicePointId.toString())
        .put("channel", channel)
        .put("start", Times.iso(start, zone))
        .put("end", Times.iso(end, zone));
  }
}
