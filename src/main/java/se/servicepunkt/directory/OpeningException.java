package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;
import se.servicepunkt.core.Times;

/** A local date whose weekly hours are replaced: closed, or open at other hours. */
public record OpeningException(UUID id, LocalDate date, boolean closed, LocalTime opens, LocalTime closes, String reason) {
  static OpeningException from(Row row) {
    return new OpeningException(row.getUUID("id"), row.getLocalDate("day"), row.getBoolean("closed"),
        row.getLocalTime("opens"), row.getLocalTime("closes"), row.getString("reason"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("date", date.toString())
        .put("closed", closed)
        .put("opens", Times.hhmm(opens))
        .put("closes", Times.hhmm(closes))
        .put("reason", reason);
  }
}
