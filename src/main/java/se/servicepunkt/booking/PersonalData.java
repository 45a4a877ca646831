package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Rows;
import se.servicepunkt.core.Times;

/**
 * A resident's request under the GDPR, answered for one organisation (the controller of its own
 * services) or, for a system administrator, all: the bookings with an e-mail address or a
 * reference, with everything stored about the resident in them (find and export), and their
 * erasure: future bookings cancelled, name, e-mail and phone removed from all of them at once,
 * as the retention job would later. With the address gone, no cancellation e-mail is queued and
 * the booking's e-mails forget their recipient (mail's own triggers).
 */
final class PersonalData {
  /** The bookings asked about: $1 e-mail or null, $2 reference or null, $3 organisation or null for every one. */
  private static final String WHICH = """
      FROM booking b JOIN service s ON s.id = b.service_id JOIN service_point p ON p.id = b.service_point_id
      WHERE ($1::text IS NULL OR lower(b.email) = lower($1))
        AND ($2::text IS NULL OR b.reference = upper($2))
        AND ($3::uuid IS NULL OR s.organisation_id = $3)
      """;
  private static final String MATCHING = """
      SELECT b.id, b.reference, p.name AS point_name, p.time_zone, s.organisation_id, s.name_sv, s.name_en, b.channel,
             lower(b.period) AS starts_at, upper(b.period) AS ends_at, b.status, b.name, b.email, b.phone, b.language,
             b.created_at, b.anonymised_at,
             coalesce((SELECT jsonb_agg(jsonb_build_object('kind', m.kind, 'status', m.status, 'sentAt', m.sent_at)
                                        ORDER BY m.due_at)
                       FROM mail_message m WHERE m.booking_id = b.id), '[]'::jsonb) AS messages
      """ + WHICH + "ORDER BY lower(b.period)";
  /** Only the ids, for the erasure. */
  private static final String MATCHING_IDS = "SELECT b.id " + WHICH;
  private static final String ERASE = """
      UPDATE booking b SET
        status = CASE WHEN b.status = 'active' AND lower(b.period) > $2 THEN 'cancelled' ELSE b.status END,
        cancelled_at = CASE WHEN b.status = 'active' AND lower(b.period) > $2 THEN $2 ELSE b.cancelled_at END,
        cancelled_by = CASE WHEN b.status = 'active' AND lower(b.period) > $2 THEN 'erasure' ELSE b.cancelled_by END,
        sequence = b.sequence + CASE WHEN b.status = 'active' AND lower(b.period) > $2 THEN 1 ELSE 0 END,
        name = NULL, email = NULL, phone = NULL, anonymised_at = $2, updated_at = $2
      WHERE b.id = ANY ($1)
      RETURNING (b.status = 'cancelled' AND b.cancelled_at = $2) AS cancelled_now""";

  private final Pool pool;
  private final Clock clock;

  PersonalData(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** The matching bookings, as exported to the resident. */
  Future<List<JsonObject>> find(String email, String reference, UUID organisation) {
    return Rows.list(pool.preparedQuery(MATCHING).mapping(PersonalData::exported)
        .execute(Tuple.of(email, reference, organisation)));
  }

  /** Erases the matching bookings; answers how many were erased and how many of them cancelled. */
  Future<JsonObject> erase(String email, String reference, UUID organisation) {
    return pool.withTransaction(tx -> Rows.list(tx.preparedQuery(MATCHING_IDS).mapping(row -> row.getUUID("id"))
            .execute(Tuple.of(email, reference, organisation)))
        .compose(ids -> ids.isEmpty()
            ? Future.succeededFuture(new JsonObject().put("erased", 0).put("cancelled", 0))
            : tx.preparedQuery(ERASE).execute(Tuple.of(ids.toArray(UUID[]::new), Times.utc(clock.instant())))
                .map(rows -> {
                  int cancelled = 0;
                  for (Row row : rows) {
                    cancelled += row.getBoolean(0) ? 1 : 0;
                  }
                  return new JsonObject().put("erased", rows.rowCount()).put("cancelled", cancelled);
                })));
  }

  private static JsonObject exported(Row row) {
    ZoneId zone = ZoneId.of(row.getString("time_zone"));
    return new JsonObject()
        .put("reference", row.getString("reference"))
        .put("organisationId", row.getUUID("organisation_id").toString())
        .put("servicePoint", row.getString("point_name"))
        .put("service", new JsonObject().put("nameSv", row.getString("name_sv")).put("nameEn", row.getString("name_en")))
        .put("channel", row.getString("channel"))
        .put("start", Times.iso(row.getOffsetDateTime("starts_at"), zone))
        .put("end", Times.iso(row.getOffsetDateTime("ends_at"), zone))
        .put("status", row.getString("status"))
        .put("name", row.getString("name"))
        .put("email", row.getString("email"))
        .put("phone", row.getString("phone"))
        .put("language", row.getString("language"))
        .put("bookedAt", Times.iso(row.getOffsetDateTime("created_at"), zone))
        .put("erasedAt", Times.iso(row.getOffsetDateTime("anonymised_at"), zone))
        .put("messages", new JsonArray(((io.vertx.core.json.JsonArray) row.getJson("messages")).stream()
            .map(JsonObject.class::cast).map(m -> m.put("sentAt", m.getString("sentAt"))).toList()));
  }
}
