package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;
import se.servicepunkt.core.Times;

/** A mobile unit's visit: a place on a local date between two local times. */
public record MobileStop(UUID id, LocalDate date, LocalTime opens, LocalTime closes, String place, String street, String city) {
  static MobileStop from(Row row) {
    return new MobileStop(row.getUUID("id"), row.getLocalDate("day"), row.getLocalTime("opens"),
        row.getLocalTime("closes"), row.getString("place"), row.getString("street"), row.getString("city"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("date", date.toString())
        .put("opens", Times.hhmm(opens))
        .put("closes", Times.hhmm(closes))
        .put("place", place)
        .put("street", street)
        .put("city", city);
  }
}
