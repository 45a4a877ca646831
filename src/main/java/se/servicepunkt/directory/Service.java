package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;

/** A kind of errand an organisation handles, with its booking rules. */
public record Service(
    UUID id,
    UUID organisationId,
    String nameSv,
    String nameEn,
    String ticketLetter,
    int durationMinutes,
    List<String> channels,
    int minNoticeMinutes,
    int horizonDays,
    int cancelCutoffMinutes,
    int waitTargetMinutes) {

  public static Service from(Row row) {
    return new Service(
        row.getUUID("id"),
        row.getUUID("organisation_id"),
        row.getString("name_sv"),
        row.getString("name_en"),
        row.getString("ticket_letter"),
        row.getInteger("duration_minutes"),
        List.of(row.getArrayOfStrings("channels")),
        row.getInteger("min_notice_minutes"),
        row.getInteger("horizon_days"),
        row.getInteger("cancel_cutoff_minutes"),
        row.getInteger("wait_target_minutes"));
  }

  /** From {@code row_to_json} over the columns {@link #from} reads (see DirectoryQueries). */
  static Service fromJson(JsonObject row) {
    return new Service(
        UUID.fromString(row.getString("id")),
        UUID.fromString(row.getString("organisation_id")),
        row.getString("name_sv"),
        row.getString("name_en"),
        row.getString("ticket_letter"),
        row.getInteger("duration_minutes"),
        row.getJsonArray("channels").stream().map(String::valueOf).toList(),
        row.getInteger("min_notice_minutes"),
        row.getInteger("horizon_days"),
        row.getInteger("cancel_cutoff_minutes"),
        row.getInteger("wait_target_minutes"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("organisationId", organisationId.toString())
        .put("nameSv", nameSv)
        .put("nameEn", nameEn)
        .put("ticketLetter", ticketLetter)
        .put("durationMinutes", durationMinutes)
        .put("channels", channels)
        .put("minNoticeMinutes", minNoticeMinutes)
        .put("horizonDays", horizonDays)
        .put("cancelCutoffMinutes", cancelCutoffMinutes)
        .put("waitTargetMinutes", waitTargetMinutes);
  }
}
