package se.servicepunkt.queue;

import se.servicepunkt.core.Times;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Rows;

/** SQL for counters and the sessions staff hold at them, and who serves at a point. */
final class CounterSessions {
  /** A counter and whether staff of the organisation serve at its point. */
  record Found(StaffedCounter counter, boolean serves) {
  }

  private static final String BY_ID = """
      SELECT c.id, c.service_point_id, p.organisation_id, c.name, c.channel, cs.id AS session_id, cs.staff_id,
             cs.channels, cs.status, cs.pause_reason, cs.paused_at
      FROM counter c JOIN service_point p ON p.id = c.service_point_id
      LEFT JOIN counter_session cs ON cs.counter_id = c.id AND cs.status <> 'closed'
      WHERE c.id = $1""";
  /** The counter and whether the organisation {@code $2} serves at its point (host or member). */
  private static final String FOR_ORGANISATION = """
      SELECT c.id, c.service_point_id, p.organisation_id, c.name, c.channel, cs.id AS session_id, cs.staff_id,
             cs.channels, cs.status, cs.pause_reason, cs.paused_at,
             (p.organisation_id = $2 OR EXISTS (SELECT 1 FROM service_point_member m
                WHERE m.service_point_id = p.id AND m.organisation_id = $2)) AS serves
      FROM counter c JOIN service_point p ON p.id = c.service_point_id
      LEFT JOIN counter_session cs ON cs.counter_id = c.id AND cs.status <> 'closed'
      WHERE c.id = $1""";
  private static final String AT_POINT = """
      SELECT c.id, c.service_point_id, p.organisation_id, c.name, c.channel, cs.id AS session_id, cs.staff_id,
             cs.channels, cs.status, cs.pause_reason, cs.paused_at
      FROM counter c JOIN service_point p ON p.id = c.service_point_id
      LEFT JOIN counter_session cs ON cs.counter_id = c.id AND cs.status <> 'closed'
      WHERE c.service_point_id = $1 ORDER BY lower(c.name)""";
  private static final String OPEN = """
      INSERT INTO counter_session (counter_id, staff_id, channels) VALUES ($1, $2, $3) RETURNING id""";
  /** Moves a session's status; a pause keeps its reason {@code $5} and its time, anything else clears them. */
  private static final String MOVE = """
      UPDATE counter_session SET status = $3, closed_at = CASE WHEN $3 = 'closed' THEN $4::timestamptz END,
             pause_reason = CASE WHEN $3 = 'paused' THEN $5::text END,
             paused_at = CASE WHEN $3 = 'paused' THEN $4::timestamptz END
      WHERE id = $1 AND status = $2""";
  private static final String BUSY = """
      SELECT count(*) FROM ticket WHERE session_id = $1 AND status IN ('called', 'serving')""";
  private static final String SERVES_AT = """
      SELECT EXISTS (SELECT 1 FROM service_point p WHERE p.id = $1 AND (p.organisation_id = $2
             OR EXISTS (SELECT 1 FROM service_point_member m WHERE m.service_point_id = p.id AND m.organisation_id = $2)))""";

  Future<StaffedCounter> byId(SqlClient db, UUID id) {
    return Rows.one(db.preparedQuery(BY_ID).mapping(StaffedCounter::from).execute(Tuple.of(id)), StaffedCounter.WHAT);
  }

  /** The counter, and whether staff of {@code organisation} serve at its point. */
  Future<Found> forOrganisation(SqlClient db, UUID id, UUID organisation) {
    return Rows.one(db.preparedQuery(FOR_ORGANISATION)
        .mapping(row -> new Found(StaffedCounter.from(row), Boolean.TRUE.equals(row.getBoolean("serves"))))
        .execute(Tuple.of(id, organisation)), StaffedCounter.WHAT);
  }

  Future<List<StaffedCounter>> atPoint(SqlClient db, UUID point) {
    return Rows.list(db.preparedQuery(AT_POINT).mapping(StaffedCounter::from).execute(Tuple.of(point)));
  }

  /** Opens a session; a second open session of the counter or of the member of staff is a unique violation. */
  Future<UUID> open(SqlClient tx, UUID counter, UUID staff, List<String> channels) {
    return tx.preparedQuery(OPEN).execute(Tuple.of(counter, staff, channels.toArray(String[]::new)))
        .map(rows -> rows.iterator().next().getUUID(0));
  }

  /**
   * Moves a session from one status to another ({@code reason}: why it pauses, or null); false when
   * it was not in {@code from}.
   */
  Future<Boolean> move(SqlClient tx, UUID session, String from, String to, Instant now, String reason) {
    return tx.preparedQuery(MOVE).execute(Tuple.of(session, from, to, Times.utc(now), reason))
        .map(rows -> rows.rowCount() == 1);
  }

  /** How many visitors the session has called or is serving. */
  Future<Long> busy(SqlClient db, UUID session) {
    return db.preparedQuery(BUSY).execute(Tuple.of(session)).map(rows -> rows.iterator().next().getLong(0));
  }

  Future<Boolean> servesAt(SqlClient db, UUID point, UUID organisation) {
    return db.preparedQuery(SERVES_AT).execute(Tuple.of(point, organisation))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }
}
