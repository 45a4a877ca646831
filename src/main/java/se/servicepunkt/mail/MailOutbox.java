package se.servicepunkt.mail;

import se.servicepunkt.core.Rows;
import se.servicepunkt.core.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.UUID;

/**
 * The {@code mail_message} table, a transactional outbox: triggers on the booking table queue
 * messages in the same transaction as the booking change that causes them, at most one per
 * booking, kind, reminder offset and version of the booking (a unique key), and
 * {@link MailWorker} delivers them later. The triggers read the reminder offsets and the
 * Message-ID domain from {@code mail_setting}, which {@link #writeSettings} fills at start-up.
 */
public final class MailOutbox {
  public static final String CONFIRMATION = "confirmation";
  public static final String REMINDER = "reminder";
  public static final String RESCHEDULED = "rescheduled";
  public static final String CANCELLATION = "cancellation";

  private static final String SETTINGS = """
      UPDATE mail_setting SET reminder_minutes = $1, message_domain = $2""";
  private static final String OF_BOOKING = """
      SELECT kind, offset_minutes, booking_sequence, status, due_at, sent_at, attempts, last_error, message_id
      FROM mail_message WHERE booking_id = $1 ORDER BY created_at, due_at, kind""";

  private static final String SKIP_STALE = """
      UPDATE mail_message m SET status = 'skipped', last_error = 'the appointment had already begun'
      FROM booking b
      WHERE b.id = m.booking_id AND m.kind = 'reminder' AND m.status = 'queued' AND m.due_at <= $1
        AND lower(b.period) <= $1""";
  private static final String SKIP_ANONYMOUS = """
      UPDATE mail_message SET status = 'skipped', last_error = 'the recipient was removed'
      WHERE status = 'queued' AND due_at <= $1 AND recipient IS NULL""";
  /**
   * Claims due messages: queued ones whose time has come, and ones whose sender's lease ran out
   * (an instance that stopped while sending). SKIP LOCKED: instances never claim the same message.
   */
  private static final String CLAIM = """
      UPDATE mail_message SET status = 'sending', claim = $1, lease_until = $2::timestamptz + make_interval(secs => $4),
             attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM mail_message
        WHERE (status = 'queued' AND due_at <= $2) OR (status = 'sending' AND lease_until < $2)
        ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING id, booking_id, booking_sequence, kind, recipient, language, attempts, message_id""";
  /**
   * The claim's reminders, each with whether its booking is still as it was when the reminder was
   * queued (active, the same sequence), and a share lock on each of those bookings until the
   * sending transaction ends: a cancellation or move of one of them waits until its reminder is
   * sent and recorded, or sees it withdrawn. All rows are read, so every booking is locked.
   */
  private static final String HOLD_REMINDED = """
      SELECT m.id, b.status = 'active' AND b.sequence = m.booking_sequence AS current
      FROM mail_message m JOIN booking b ON b.id = m.booking_id
      WHERE m.claim = $1 AND m.kind = 'reminder' AND m.status = 'sending'
      ORDER BY b.id
      FOR SHARE OF b""";
  private static final String WITHDRAW = """
      UPDATE mail_message SET status = 'withdrawn', lease_until = NULL
      WHERE id = ANY ($1) AND claim = $2""";
  private static final String SENT = """
      UPDATE mail_message SET status = 'sent', sent_at = $3, lease_until = NULL, last_error = NULL
      WHERE id = $1 AND claim = $2""";
  private static final String FAILED = """
      UPDATE mail_message SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END,
             due_at = $3, last_error = $5, lease_until = NULL
      WHERE id = $1 AND claim = $2 RETURNING status""";
  private static final String WAITING = "SELECT count(*) FROM mail_message WHERE status = 'queued'";

  /** A message claimed for sending. */
  record Claimed(UUID id, UUID bookingId, int bookingSequence, String kind, String recipient, String language,
                 int attempts, String messageId) {
    static Claimed from(Row row) {
      return new Claimed(row.getUUID("id"), row.getUUID("booking_id"), row.getInteger("booking_sequence"), row.getString("kind"),
          row.getString("recipient"), row.getString("language"), row.getInteger("attempts"),
          row.getString("message_id"));
    }
  }

  /**
   * Due reminders for appointments that have begun, and due messages whose recipient was removed,
   * are not sent. Only due messages are looked at (a reminder falls due before its appointment
   * begins), so each pass reads the due index, not every queued message.
   */
  Future<Void> skipStale(SqlClient db, Instant now) {
    return db.preparedQuery(SKIP_STALE).execute(Tuple.of(Times.utc(now)))
        .compose(v -> db.preparedQuery(SKIP_ANONYMOUS).execute(Tuple.of(Times.utc(now)))).mapEmpty();
  }

  Future<List<Claimed>> claim(SqlClient db, UUID claim, Instant now, int limit, int leaseSeconds) {
    return Rows.list(db.preparedQuery(CLAIM).mapping(Claimed::from).execute(Tuple.of(claim, Times.utc(now), limit, leaseSeconds)));
  }

  /**
   * Holds the bookings of the claim's reminders (see {@link #HOLD_REMINDED}) in the transaction
   * {@code tx} and withdraws the reminders whose booking was cancelled or moved since they were
   * queued; returns the ids of those withdrawn.
   */
  Future<Set<UUID>> holdReminded(SqlClient tx, UUID claim) {
    return tx.preparedQuery(HOLD_REMINDED).execute(Tuple.of(claim)).compose(rows -> {
      var stale = new HashSet<UUID>();
      rows.forEach(row -> {
        if (!row.getBoolean("current")) {
          stale.add(row.getUUID("id"));
        }
      });
      return stale.isEmpty()
          ? Future.succeededFuture(stale)
          : tx.preparedQuery(WITHDRAW).execute(Tuple.of(stale.toArray(UUID[]::new), claim)).map(stale);
    });
  }

  Future<Void> sent(SqlClient db, UUID id, UUID claim, Instant now) {
    return db.preparedQuery(SENT).execute(Tuple.of(id, claim, Times.utc(now))).mapEmpty();
  }

  /** Records a failed attempt: queued again at {@code retryAt}, or failed for good after {@code maxAttempts}. */
  Future<String> failed(SqlClient db, UUID id, UUID claim, Instant retryAt, int maxAttempts, String error) {
    return db.preparedQuery(FAILED).execute(Tuple.of(id, claim, Times.utc(retryAt), maxAttempts, error))
        .map(rows -> rows.size() == 0 ? "lost" : rows.iterator().next().getString(0));
  }

  Future<Long> waiting(SqlClient db) {
    return db.query(WAITING).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** A message as staff see it in the booking. */
  public record Status(String kind, int offsetMinutes, int sequence, String status, OffsetDateTime dueAt,
                       OffsetDateTime sentAt, int attempts, String lastError, String messageId) {
    static Status from(Row row) {
      return new Status(row.getString("kind"), row.getInteger("offset_minutes"), row.getInteger("booking_sequence"),
          row.getString("status"), row.getOffsetDateTime("due_at"), row.getOffsetDateTime("sent_at"),
          row.getInteger("attempts"), row.getString("last_error"), row.getString("message_id"));
    }

    public JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("reminderMinutesBefore", REMINDER.equals(kind) ? offsetMinutes : null)
          .put("bookingSequence", sequence).put("status", status).put("dueAt", Times.iso(dueAt))
          .put("sentAt", Times.iso(sentAt)).put("attempts", attempts)
          .put("lastError", lastError).put("messageId", messageId);
    }
  }

  private final List<Integer> reminderMinutes;
  private final String domain;

  /**
   * @param reminderMinutes reminder offsets before the start
   * @param domain          the right-hand side of Message-IDs (this server's public host)
   */
  public MailOutbox(List<Integer> reminderMinutes, String domain) {
    this.reminderMinutes = List.copyOf(reminderMinutes);
    this.domain = domain;
  }

  /** Tells the booking triggers this configuration's reminder offsets and Message-ID domain. */
  public Future<Void> writeSettings(SqlClient db) {
    return db.preparedQuery(SETTINGS).execute(Tuple.of(reminderMinutes.toArray(Integer[]::new), domain)).mapEmpty();
  }

  public Future<List<Status>> of(SqlClient db, UUID booking) {
    return Rows.list(db.preparedQuery(OF_BOOKING).mapping(Status::from).execute(Tuple.of(booking)));
  }
}
