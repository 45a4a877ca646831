package se.servicepunkt.queue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import se.servicepunkt.core.Times;

/** A place in a service point's live queue, with the names of its service and counter. */
public record Ticket(
    UUID id,
    UUID servicePointId,
    ZoneId zone,
    UUID serviceId,
    UUID organisationId,
    String serviceNameSv,
    String serviceNameEn,
    int durationMinutes,
    String channel,
    LocalDate localDate,
    String number,
    byte[] tokenHash,
    String language,
    String priorityReason,
    UUID bookingId,
    OffsetDateTime bookedStart,
    OffsetDateTime arrivedAt,
    String status,
    UUID sessionId,
    UUID counterId,
    String counterName,
    UUID staffId,
    OffsetDateTime calledAt,
    int recalls,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    String outcome,
    String videoRoom,
    int transfers) {

  public static final String WAITING = "waiting";
  public static final String CALLED = "called";
  public static final String SERVING = "serving";

  /** A row of {@code ticket} joined with its point's zone, its service and its counter's name. */
  static Ticket from(Row row) {
    return new Ticket(row.getUUID("id"), row.getUUID("service_point_id"), ZoneId.of(row.getString("time_zone")),
        row.getUUID("service_id"), row.getUUID("organisation_id"), row.getString("name_sv"), row.getString("name_en"),
        row.getInteger("duration_minutes"), row.getString("channel"), row.getLocalDate("local_date"),
        row.getString("number"), row.getBuffer("token_hash").getBytes(), row.getString("language"),
        row.getString("priority_reason"), row.getUUID("booking_id"), row.getOffsetDateTime("booked_start"),
        row.getOffsetDateTime("arrived_at"), row.getString("status"), row.getUUID("session_id"),
        row.getUUID("counter_id"), row.getString("counter_name"), row.getUUID("staff_id"),
        row.getOffsetDateTime("called_at"), row.getInteger("recalls"), row.getOffsetDateTime("started_at"),
        row.getOffsetDateTime("finished_at"), row.getString("outcome"), row.getString("video_room"),
        row.getInteger("transfers"));
  }

  public boolean video() {
    return "video".equals(channel);
  }

  /**
   * What events carry about a ticket: no name, e-mail or phone (a ticket has none), no token,
   * no booking reference. Reception screens show only the number and the counter.
   */
  JsonObject eventJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("number", number)
        .put("serviceId", serviceId.toString())
        .put("channel", channel)
        .put("status", status)
        .put("priority", priorityReason != null)
        .put("booked", bookedStart != null)
        .put("checkedIn", bookingId != null)
        .put("counterId", counterId == null ? null : counterId.toString())
        .put("counterName", counterName);
  }

  /**
   * What the visitor (with the ticket token) and staff see; to staff of another organisation at a
   * shared point, without its details ({@link QueueAccess#shownTo}).
   */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("number", number)
        .put("servicePointId", servicePointId.toString())
        .put("organisationId", organisationId.toString())
        .put("service", new JsonObject().put("id", serviceId.toString()).put("nameSv", serviceNameSv)
            .put("nameEn", serviceNameEn))
        .put("channel", channel)
        .put("language", language)
        .put("priorityReason", priorityReason)
        .put("priority", priorityReason != null)
        .put("checkedIn", bookingId != null)
        .put("booked", bookedStart != null)
        .put("bookedStart", Times.iso(bookedStart, zone))
        .put("arrivedAt", Times.iso(arrivedAt, zone))
        .put("status", status)
        .put("counter", counterId == null ? null
            : new JsonObject().put("id", counterId.toString()).put("name", counterName))
        .put("calledAt", Times.iso(calledAt, zone))
        .put("recalls", recalls)
        .put("startedAt", Times.iso(startedAt, zone))
        .put("finishedAt", Times.iso(finishedAt, zone))
        .put("outcome", outcome);
  }
}
