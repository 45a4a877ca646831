package se.servicepunkt.booking;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import se.servicepunkt.core.Times;

/** A resident's appointment, with the service point and service it is for. */
public record Booking(
    UUID id,
    String reference,
    byte[] tokenHash,
    UUID servicePointId,
    String pointName,
    ZoneId zone,
    String street,
    String postalCode,
    String city,
    UUID serviceId,
    UUID organisationId,
    String serviceNameSv,
    String serviceNameEn,
    int cancelCutoffMinutes,
    UUID staffId,
    String channel,
    OffsetDateTime start,
    OffsetDateTime end,
    String status,
    String language,
    String name,
    String email,
    String phone,
    String videoRoom,
    int sequence,
    OffsetDateTime updatedAt) {

  /** A booking as BookingRepository's statements select it (with its point and service). */
  static Booking from(Row row) {
    return new Booking(row.getUUID("id"), row.getString("reference"), row.getBuffer("manage_token_hash").getBytes(),
        row.getUUID("service_point_id"), row.getString("point_name"), ZoneId.of(row.getString("time_zone")),
        row.getString("street"), row.getString("postal_code"), row.getString("city"), row.getUUID("service_id"),
        row.getUUID("organisation_id"), row.getString("name_sv"), row.getString("name_en"),
        row.getInteger("cancel_cutoff_minutes"), row.getUUID("staff_id"), row.getString("channel"),
        row.getOffsetDateTime("starts_at"), row.getOffsetDateTime("ends_at"), row.getString("status"),
        row.getString("language"), row.getString("name"), row.getString("email"), row.getString("phone"),
        row.getString("video_room"), row.getInteger("sequence"), row.getOffsetDateTime("updated_at"));
  }

  public boolean active() {
    return "active".equals(status);
  }

  public boolean video() {
    return "video".equals(channel);
  }

  /** The service's name in the booking's language. */
  public String serviceName() {
    return "en".equals(language) ? serviceNameEn : serviceNameSv;
  }

  /** The point's street address ("Storgatan 34, 623 31 Hemse"), or null when it has none. */
  public String streetAddress() {
    if (street == null && city == null) {
      return null;
    }
    String town = city == null ? null : (postalCode != null ? postalCode + " " : "") + city;
    return street == null ? town : town == null ? street : street + ", " + town;
  }

  /** Whether a resident may still cancel or move it themself (before the service's cut-off). */
  public boolean changeableBy(Instant now) {
    return active() && now.isBefore(start.toInstant().minus(Duration.ofMinutes(cancelCutoffMinutes)));
  }

  /** What the resident (with the manage token) and staff see. */
  public JsonObject toJson(Instant now, String videoLink, String manageUrl) {
    return new JsonObject()
        .put("reference", reference)
        .put("status", status)
        .put("servicePoint", new JsonObject().put("id", servicePointId.toString()).put("name", pointName)
            .put("street", street).put("postalCode", postalCode).put("city", city))
        .put("service", new JsonObject().put("id", serviceId.toString()).put("nameSv", serviceNameSv)
            .put("nameEn", serviceNameEn))
        .put("channel", channel)
        .put("start", Times.iso(start, zone))
        .put("end", Times.iso(end, zone))
        .put("timeZone", zone.getId())
        .put("language", language)
        .put("name", name)
        .put("email", email)
        .put("phone", phone)
        .put("videoLink", videoLink)
        .put("sequence", sequence)
        .put("changeable", changeableBy(now))
        .put("manageUrl", manageUrl);
  }
}
