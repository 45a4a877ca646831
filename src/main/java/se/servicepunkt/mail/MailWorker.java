package se.servicepunkt.mail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.booking.Booking;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.config.AppConfig;

/**
 * Delivers the outbox. Each pass skips reminders whose appointment has begun, claims up to a batch
 * of due messages (FOR UPDATE SKIP LOCKED, with a lease, so several instances share the work and
 * never send one message twice), withdraws reminders whose booking was cancelled or moved since
 * (see {@link #pass}), renders and sends the rest over SMTP, and marks each sent, or queues it
 * again with exponential back-off, or after the last attempt marks it failed with the reason.
 * Passes run at start-up (sending what fell due while the server was down), on a timer, and after
 * each booking change on this instance (which may have queued messages); finished passes are
 * counted ({@code servicepunkt_mail_passes_total}). Without SMTP configured, messages wait in the
 * outbox and the log says so once.
 */
public final class MailWorker {
  private static final Logger LOG = LoggerFactory.getLogger(MailWorker.class);
  private static final int BATCH = 50;
  private static final int LEASE_SECONDS = 300;
  private static final Duration MAX_BACKOFF = Duration.ofHours(6);
  /**
   * How long one message may take to hand over to SMTP before the attempt counts as failed: a
   * batch with reminders holds their bookings meanwhile, so a stuck server must not hold them.
   */
  private static final int SEND_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final Pool pool;
  private final MailOutbox outbox;
  private final BookingService bookings;
  private final MailClient client;
  private final MailRenderer renderer = new MailRenderer();
  private final Clock clock;
  private final String from;
  private final String fromAddress;
  private final int maxAttempts;
  private final Duration retry;
  private final long pollMillis;
  private final Counter sent;
  private final Counter retried;
  private final Counter failed;
  private final Counter passes;
  /**
   * A test seam: runs after each claim, before the claimed messages are looked at again and
   * sent, so that a test can change a booking exactly then.
   */
  static volatile Function<List<MailOutbox.Claimed>, Future<Void>> afterClaim = claimed -> Future.succeededFuture();
  /** A test seam: runs in the sending transaction right after the reminders' bookings are held. */
  static volatile Function<List<MailOutbox.Claimed>, Future<Void>> afterHold = claimed -> Future.succeededFuture();
  private boolean running;
  private boolean again;

  public MailWorker(Vertx vertx, Pool pool, MailOutbox outbox, BookingService bookings, Clock clock, AppConfig config,
                    MeterRegistry metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.outbox = outbox;
    this.bookings = bookings;
    this.clock = clock;
    this.client = config.smtpHost() == null ? null : MailClient.create(vertx, mailConfig(config));
    this.from = config.mailFrom();
    this.fromAddress = from == null ? null : from.replaceAll("^.*<|>$", "");
    this.maxAttempts = config.mailMaxAttempts();
    this.retry = Duration.ofSeconds(config.mailRetrySeconds());
    this.pollMillis = config.mailPollSeconds() * 1000L;
    this.sent = counter(metrics, "sent");
    this.retried = counter(metrics, "retried");
    this.failed = counter(metrics, "failed");
    this.passes = Counter.builder("servicepunkt_mail_passes")
        .description("Passes of the mail worker over the outbox, finished (whether or not they sent anything)")
        .register(metrics);
  }

  static MailConfig mailConfig(AppConfig config) {
    var mail = new MailConfig()
        .setHostname(config.smtpHost())
        .setPort(config.smtpPort())
        .setKeepAlive(true)
        .setMaxPoolSize(8)
        .setConnectTimeout(10_000)
        .setStarttls(switch (config.smtpTls()) {
          case "starttls" -> StartTLSOptions.REQUIRED;
          default -> StartTLSOptions.DISABLED;
        })
        .setSsl("tls".equals(config.smtpTls()));
    if (config.smtpUser() != null) {
      mail.setLogin(LoginOption.REQUIRED).setUsername(config.smtpUser()).setPassword(config.smtpPassword());
    } else {
      mail.setLogin(LoginOption.DISABLED);
    }
    return mail;
  }

  private static Counter counter(MeterRegistry metrics, String outcome) {
    return Counter.builder("servicepunkt_mail_messages").tag("outcome", outcome)
        .description("E-mails sent, attempts to be retried, and messages given up").register(metrics);
  }

  public void start() {
    if (client == null) {
      outbox.waiting(pool).onSuccess(count -> LOG.warn(
          "E-mail is not set up (smtpHost / SP_SMTP_HOST is unset): {} messages wait in the outbox and will be sent "
              + "once SMTP is configured", count));
      return;
    }
    bookings.afterChange(this::wake); // a booking change may have queued messages
    vertx.setPeriodic(pollMillis, pollMillis, id -> wake());
    wake();
  }

  /** Runs a pass now, or right after the one that is running. */
  public void wake() {
    if (client == null) {
      return;
    }
    synchronized (this) {
      if (running) {
        again = true;
        return;
      }
      running = true;
      again = false;
    }
    pass().onComplete(result -> {
      if (result.failed()) {
        LOG.warn("Mail pass failed: {}", result.cause().getMessage());
      }
      passes.increment();
      boolean more = result.succeeded() && result.result();
      synchronized (this) {
        running = false;
        if (!more && !again) {
          return;
        }
      }
      vertx.runOnContext(v -> wake());
    });
  }

  /**
   * One batch; true when there may be more due right now. A reminder must not go out for a
   * booking that was cancelled or moved after it was queued, even when the change lands while
   * this pass holds the reminder: so a batch with reminders is sent in a transaction that first
   * takes a share lock on their bookings and withdraws the reminders whose booking has changed
   * (it may have changed between the claim and the lock), and ends only when every message is
   * recorded. A cancellation or move of one of those bookings waits for that, and then finds the
   * reminder sent (before the change, as its time was), or never sends it. Bookings are read
   * after the lock, so messages show the booking as it is. Other messages need no lock.
   */
  private Future<Boolean> pass() {
    Instant now = clock.instant();
    UUID claim = UUID.randomUUID();
    return outbox.skipStale(pool, now)
        .compose(v -> outbox.claim(pool, claim, now, BATCH, LEASE_SECONDS))
        .compose(claimed -> afterClaim.apply(claimed).map(claimed))
        .compose(claimed -> {
          if (claimed.isEmpty()) {
            return Future.succeededFuture(false);
          }
          boolean reminders = claimed.stream().anyMatch(m -> MailOutbox.REMINDER.equals(m.kind()));
          Future<Void> sending = reminders
              ? pool.withTransaction(tx -> outbox.holdReminded(tx, claim)
                  .compose(stale -> afterHold.apply(claimed).map(stale))
                  .compose(stale -> send(tx, claimed, stale, claim)))
              : send(pool, claimed, Set.of(), claim);
          return sending.map(v -> claimed.size() == BATCH);
        });
  }

  /** Sends the claimed messages but those withdrawn, recording each outcome through {@code db}. */
  private Future<Void> send(SqlClient db, List<MailOutbox.Claimed> claimed, Set<UUID> withdrawn, UUID claim) {
    var sending = claimed.stream().filter(m -> !withdrawn.contains(m.id())).toList();
    if (sending.isEmpty()) {
      return Future.succeededFuture();
    }
    return bookings.bookings(sending.stream().map(MailOutbox.Claimed::bookingId).distinct().toList())
        .compose(found -> {
          Map<UUID, Booking> byId = found.stream().collect(Collectors.toMap(Booking::id, Function.identity()));
          var sends = new ArrayList<Future<Void>>();
          for (var message : sending) {
            sends.add(deliver(db, message, byId.get(message.bookingId()), claim));
          }
          return Future.join(sends).mapEmpty();
        });
  }

  private Future<Void> deliver(SqlClient db, MailOutbox.Claimed message, Booking booking, UUID claim) {
    MailMessage mail;
    try {
      mail = message(message, booking);
    } catch (RuntimeException e) {
      return attemptFailed(db, message, claim, "could not be written: " + e.getMessage());
    }
    return client.sendMail(mail).timeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .compose(result -> outbox.sent(db, message.id(), claim, clock.instant()).onSuccess(v -> sent.increment()))
        .recover(e -> attemptFailed(db, message, claim, e.getMessage()));
  }

  private Future<Void> attemptFailed(SqlClient db, MailOutbox.Claimed message, UUID claim, String error) {
    Duration backoff = retry.multipliedBy(1L << Math.min(20, message.attempts() - 1));
    Instant retryAt = clock.instant().plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
    String reason = withoutAddresses(error);
    return outbox.failed(db, message.id(), claim, retryAt, maxAttempts, reason).map(status -> {
      if ("failed".equals(status)) {
        failed.increment();
        LOG.warn("Gave up an e-mail ({}) after {} attempts: {}", message.kind(), message.attempts(), reason);
      } else {
        retried.increment();
      }
      return null;
    });
  }

  private static final java.util.regex.Pattern ADDRESS =
      java.util.regex.Pattern.compile("[^\\s<>\"'(),;:@]+@[^\\s<>\"'(),;:@]+");

  /**
   * An SMTP error as it may be stored and logged: without e-mail addresses (servers quote the
   * recipient: "550 5.1.1 <anna@example.se>: user unknown"), at most 500 characters.
   */
  static String withoutAddresses(String error) {
    if (error == null) {
      return "unknown error";
    }
    String cleaned = ADDRESS.matcher(error).replaceAll("[address]");
    return cleaned.length() > 500 ? cleaned.substring(0, 500) : cleaned;
  }

  private MailMessage message(MailOutbox.Claimed message, Booking booking) {
    if (booking == null) {
      throw new IllegalStateException("the booking is gone");
    }
    var text = renderer.render(message.kind(), booking, bookings.manageLink(booking), bookings.meetingLink(booking));
    var mail = new MailMessage()
        .setFrom(from)
        .setTo(message.recipient())
        .setSubject(text.subject())
        .setText(text.text())
        .setHtml(text.html())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add("Message-ID", message.messageId()));
    boolean cancel = MailOutbox.CANCELLATION.equals(message.kind());
    if (cancel || MailOutbox.CONFIRMATION.equals(message.kind()) || MailOutbox.RESCHEDULED.equals(message.kind())) {
      String method = cancel ? "CANCEL" : "REQUEST";
      mail.setAttachment(List.of(MailAttachment.create()
          .setData(Buffer.buffer(bookings.invitation(booking, cancel, fromAddress)))
          .setContentType("text/calendar; charset=UTF-8; method=" + method)
          .setName(cancel ? "cancellation.ics" : "invitation.ics")
          .setDisposition("attachment")));
    }
    return mail;
  }
}
