package se.servicepunkt.directory;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.ZoneId;
import java.util.UUID;

/** A place (office) or mobile unit where residents are served, hosted by one organisation. */
public record ServicePoint(
    UUID id,
    UUID organisationId,
    String organisationName,
    String name,
    String kind,
    ZoneId timeZone,
    String street,
    String postalCode,
    String city,
    String description) {

  public static final String OFFICE = "office";
  public static final String MOBILE = "mobile";

  static ServicePoint from(Row row) {
    return new ServicePoint(
        row.getUUID("id"),
        row.getUUID("organisation_id"),
        row.getString("organisation_name"),
        row.getString("name"),
        row.getString("kind"),
        ZoneId.of(row.getString("time_zone")),
        row.getString("street"),
        row.getString("postal_code"),
        row.getString("city"),
        row.getString("description"));
  }

  public boolean mobile() {
    return MOBILE.equals(kind);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("organisationId", organisationId.toString())
        .put("organisationName", organisationName)
        .put("name", name)
        .put("kind", kind)
        .put("timeZone", timeZone.getId())
        .put("street", street)
        .put("postalCode", postalCode)
        .put("city", city)
        .put("description", description);
  }
}
