package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalTime;
import se.servicepunkt.core.Times;

/** One opening interval on an ISO weekday (1 = Monday), in local clock time. */
public record WeeklyHours(int weekday, LocalTime opens, LocalTime closes) {
  static WeeklyHours from(Row row) {
    return new WeeklyHours(row.getInteger("weekday"), row.getLocalTime("opens"), row.getLocalTime("closes"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("weekday", weekday).put("opens", Times.hhmm(opens)).put("closes", Times.hhmm(closes));
  }
}
