package se.servicepunkt.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * E-mail through the outbox to a real SMTP server (GreenMail) in the test JVM: content in both
 * languages and channels, the calendar files, reminders at their time, withdrawals, an SMTP
 * outage, a restart between queueing and sending, and two instances sharing the work.
 */
class MailTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate DAY = LocalDate.of(2026, 12, 9);
  static final TestClock CLOCK = new TestClock(at(DAY.minusDays(3), "08:00"));
  static final int SMTP_PORT = TestServer.freePort();
  static final String FROM = "Servicepunkt <no-reply@servicepunkt.test>";
  static GreenMail smtp;
  static TestServer server;
  static Fixtures fx;
  static String admin;
  static String point;
  static String desk;
  static String video;
  static int days;

  static Map<String, Object> mailConfig() {
    var config = new HashMap<String, Object>();
    config.put("smtpHost", "127.0.0.1");
    config.put("smtpPort", SMTP_PORT);
    config.put("smtpTls", "none");
    config.put("mailFrom", FROM);
    config.put("mailPollSeconds", 1);
    config.put("mailRetrySeconds", 1);
    config.put("mailMaxAttempts", 3);
    config.put("videoUrlTemplate", "https://video.example.se/{room}");
    config.put("publicUrl", "https://servicepunkt.test");
    return config;
  }

  static Instant at(LocalDate day, String time) {
    return ZonedDateTime.of(day, LocalTime.parse(time), STOCKHOLM).toInstant();
  }

  @BeforeAll
  static void start() {
    smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
    smtp.start();
    server = TestServer.start(mailConfig(), CLOCK);
    fx = new Fixtures(server);
    String org = fx.organisation("Järfälla kommun");
    admin = fx.token(org, "admin", "staff");
    point = fx.servicePoint(admin, "Medborgarkontor Jakobsberg", "office");
    server.sql("UPDATE service_point SET street = 'Riddarplatsen 5', postal_code = '177 30', city = 'Järfälla' WHERE id = $1",
        UUID.fromString(point));
    fx.openEveryDay(admin, point, "08:00", "18:00");
    desk = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Bygglov").put("nameEn", "Building permits")
        .put("ticketLetter", "B").put("durationMinutes", 30).put("channels", new JsonArray().add("desk"))
        .put("minNoticeMinutes", 0).put("horizonDays", 60).put("cancelCutoffMinutes", 0))).getString("id");
    video = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Vägledning").put("nameEn", "Guidance")
        .put("ticketLetter", "V").put("durationMinutes", 30).put("channels", new JsonArray().add("video"))
        .put("minNoticeMinutes", 0).put("horizonDays", 60).put("cancelCutoffMinutes", 0))).getString("id");
    for (String s : List.of(desk, video)) {
      server.put("/api/v1/service-points/" + point + "/services/" + s, admin, null);
    }
    var shifts = new JsonArray();
    for (int i = 0; i < 3; i++) {
      String id = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "handlaggare" + i + "@jarfalla.example")
          .put("displayName", "Handläggare " + i).put("password", "a-long-enough-password")
          .put("roles", new JsonArray().add("staff")))).getString("id");
      server.put("/api/v1/staff/" + id + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(desk).add(video)));
      for (int d = -3; d < 12; d++) {
        for (String channel : List.of("desk", "video")) {
          if (channel.equals("video") && i != 2 || channel.equals("desk") && i == 2) {
            continue;
          }
          shifts.add(new JsonObject().put("staffId", id).put("servicePointId", point).put("channel", channel)
              .put("start", at(DAY.plusDays(d), "08:00").toString()).put("end", at(DAY.plusDays(d), "18:00").toString()));
        }
      }
    }
    var planned = server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", shifts));
    assertEquals(201, planned.statusCode(), planned.bodyAsString());
  }

  @AfterAll
  static void stop() {
    server.close();
    smtp.stop();
  }

  @BeforeEach
  void atThreeDaysBefore() {
    CLOCK.set(at(DAY.minusDays(3), "08:00"));
  }

  @AfterEach
  void clean() throws Exception {
    smtp.purgeEmailFromAllMailboxes();
  }

  /** A new day's slot for each test, so tests do not meet each other's bookings. */
  static LocalDate nextDay() {
    return DAY.plusDays(days++ % 8);
  }

  JsonObject book(LocalDate day, String time, String service, String channel, String language, String email) {
    var response = server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", point)
        .put("serviceId", service).put("channel", channel)
        .put("start", ZonedDateTime.of(day, LocalTime.parse(time), STOCKHOLM).toOffsetDateTime().toString())
        .put("name", "Karin Karlsson").put("email", email).put("language", language).put("consent", true));
    return created(response);
  }

  /** Waits until {@code count} messages to {@code to} have arrived, and returns them in order. */
  List<ReceivedMail> mailTo(String to, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ReceivedMail> received;
    do {
      received = received(to);
      if (received.size() >= count) {
        break;
      }
      sleep(50);
    } while (System.nanoTime() < deadline);
    assertEquals(count, received.size(), "messages to " + to + ": " + received.stream().map(ReceivedMail::subject).toList());
    return received;
  }

  static List<ReceivedMail> received(String to) {
    var list = new ArrayList<ReceivedMail>();
    for (MimeMessage message : smtp.getReceivedMessages()) {
      var mail = ReceivedMail.of(message);
      if (mail.to().contains(to)) {
        list.add(mail);
      }
    }
    return list;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Passes the mail worker of {@code instance} has finished, from its metrics. */
  static long passes(TestServer instance) {
    String metrics = instance.get("/metrics", TestServer.METRICS_TOKEN).bodyAsString();
    return metrics.lines().filter(l -> l.startsWith("servicepunkt_mail_passes_total"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no pass counter in " + metrics));
  }

  /**
   * Waits until the mail worker of {@code instance} has finished two more passes: the second
   * began after this call, so it saw every change and clock move made before it.
   */
  static void awaitFullPass(TestServer instance) {
    long target = passes(instance) + 2;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (passes(instance) < target && System.nanoTime() < deadline) {
      sleep(20);
    }
    assertTrue(passes(instance) >= target, "the mail worker finished two passes");
  }

  static VEvent event(ReceivedMail mail) {
    assertNotNull(mail.calendar(), "a calendar file is attached");
    return mail.calendar().<VEvent>getComponent("VEVENT").orElseThrow();
  }

  static String property(ReceivedMail mail, String name) {
    return mail.calendar().getProperty(name).orElseThrow().getValue();
  }

  List<JsonObject> messages(String reference) {
    var answer = server.get("/api/v1/bookings/" + reference, admin);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonArray("messages").stream().map(o -> (JsonObject) o).toList();
  }

  /** Every reminder of the booking has this status (and there is at least one). */
  void assertRemindersAre(String reference, String status) {
    var reminders = messages(reference).stream().filter(m -> m.getString("kind").equals("reminder")).toList();
    assertFalse(reminders.isEmpty(), "the booking has reminders");
    assertTrue(reminders.stream().allMatch(m -> m.getString("status").equals(status)), reminders.toString());
  }

  @Test
  void aSwedishDeskBookingIsConfirmedWithTheInvitationAndAWorkingManageLink() {
    LocalDate day = nextDay();
    String to = "karin.desk@example.se";
    var booking = book(day, "10:00", desk, "desk", "sv", to);
    var mail = mailTo(to, 1).get(0);
    assertTrue(mail.subject().startsWith("Bokningsbekräftelse: Bygglov"), mail.subject());
    assertTrue(mail.text().contains("kl. 10:00–10:30"), mail.text());
    assertTrue(mail.text().contains("Medborgarkontor Jakobsberg, Riddarplatsen 5, 177 30 Järfälla"), mail.text());
    assertTrue(mail.text().contains("Bokningsnummer: " + booking.getString("reference")));
    String html = mail.html().replace("&#61;", "="); // Mustache escapes '=' in attribute values; browsers read it back
    assertTrue(html.contains("<a href=\"https://servicepunkt.test/manage/" + booking.getString("reference") + "?token="), html);
    assertTrue(mail.html().contains("lang=\"sv\""));
    assertFalse(mail.text().contains("Videomöte"));
    String token = mail.text().replaceAll("(?s).*\\?token=([A-Za-z0-9_-]+).*", "$1");
    assertEquals(booking.getString("manageToken"), token, "the mailed link carries the manage token");
    assertEquals(200, server.get("/api/v1/bookings/" + booking.getString("reference") + "?token=" + token).statusCode());

    assertTrue(mail.icsContentType().contains("method=REQUEST"), mail.icsContentType());
    assertEquals("REQUEST", property(mail, Property.METHOD));
    VEvent event = event(mail);
    assertEquals("0", event.getProperty(Property.SEQUENCE).orElseThrow().getValue());
    assertEquals(at(day, "10:00"), Instant.from(event.getDateTimeStart().orElseThrow().getDate()));
    assertTrue(event.getProperty(Property.ORGANIZER).orElseThrow().getValue().contains("no-reply@servicepunkt.test"));
    assertTrue(event.getProperty(Property.ATTENDEE).orElseThrow().getValue().contains(to));

    var messages = messages(booking.getString("reference"));
    var sent = messages.stream().filter(m -> m.getString("kind").equals("confirmation")).findFirst().orElseThrow();
    assertEquals("sent", sent.getString("status"));
    assertEquals(mail.messageId(), sent.getString("messageId"), "the stored Message-ID is the one sent");
    assertEquals(List.of(1440, 120), messages.stream().filter(m -> m.getString("kind").equals("reminder"))
        .map(m -> m.getInteger("reminderMinutesBefore")).toList(), "both reminders are queued");
    assertRemindersAre(booking.getString("reference"), "queued");
    var resident = server.get("/api/v1/bookings/" + booking.getString("reference") + "?token=" + token).bodyAsJsonObject();
    assertNull(resident.getValue("messages"), "only staff see the delivery status");
  }

  @Test
  void anEnglishVideoBookingCarriesTheMeetingLinkAndHowToJoin() {
    LocalDate day = nextDay();
    String to = "john.video@example.se";
    book(day, "14:00", video, "video", "en", to);
    var mail = mailTo(to, 1).get(0);
    assertTrue(mail.subject().startsWith("Booking confirmed: Guidance on "), mail.subject());
    assertTrue(mail.text().contains("How to join"), mail.text());
    assertTrue(mail.text().contains("https://video.example.se/sp-"), mail.text());
    assertTrue(mail.html().contains("href=\"https://video.example.se/sp-"), mail.html());
    assertTrue(mail.text().contains("14:00–14:30"));
    assertTrue(mail.text().contains(day.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.UK)));
    assertTrue(event(mail).getProperty(Property.LOCATION).orElseThrow().getValue().startsWith("https://video.example.se/sp-"));
  }

  @Test
  void bookingThenCancellingSendsOneConfirmationAndOneCancellationAndNoReminder() {
    LocalDate day = nextDay();
    String to = "karin.cancel@example.se";
    var booking = book(day, "11:00", desk, "desk", "sv", to);
    mailTo(to, 1);
    var cancelled = server.client().delete("/api/v1/bookings/" + booking.getString("reference"))
        .putHeader("X-Manage-Token", booking.getString("manageToken")).send().await();
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    var mails = mailTo(to, 2);
    var cancellation = mails.get(1);
    assertTrue(cancellation.subject().startsWith("Avbokad: Bygglov"), cancellation.subject());
    assertEquals("CANCEL", property(cancellation, Property.METHOD));
    assertEquals("1", event(cancellation).getProperty(Property.SEQUENCE).orElseThrow().getValue());
    assertEquals(event(mails.get(0)).getProperty(Property.UID).orElseThrow().getValue(),
        event(cancellation).getProperty(Property.UID).orElseThrow().getValue());

    CLOCK.set(at(day, "10:30"));
    awaitFullPass(server); // after both reminders fell due
    assertEquals(2, received(to).size(), "no reminder after a cancellation");
    assertRemindersAre(booking.getString("reference"), "withdrawn");
  }

  /**
   * Runs {@code change} once, on the worker's own pass, right after it has claimed the reminder
   * to {@code to} and before that reminder is sent: the race between a change and a sender that
   * already holds the message, made certain instead of left to timing.
   */
  static AtomicBoolean onceTheReminderIsClaimed(String to, Supplier<Future<Integer>> change) {
    var done = new AtomicBoolean();
    MailWorker.afterClaim = claimed -> claimed.stream().anyMatch(m -> m.kind().equals("reminder") && to.equals(m.recipient()))
        && done.compareAndSet(false, true)
        ? change.get().map(status -> {
          assertEquals(200, status, "the change made while the reminder was held");
          return null;
        })
        : Future.succeededFuture();
    return done;
  }

  @Test
  void aReminderHeldForSendingWhenItsBookingIsCancelledIsNotSent() {
    LocalDate day = nextDay();
    String to = "karin.race.cancel@example.se";
    var booking = book(day, "12:00", desk, "desk", "sv", to);
    mailTo(to, 1);
    var cancelled = onceTheReminderIsClaimed(to, () -> server.client().delete("/api/v1/bookings/" + booking.getString("reference"))
        .putHeader("X-Manage-Token", booking.getString("manageToken")).send().map(r -> r.statusCode()));
    try {
      CLOCK.set(at(day.minusDays(1), "12:00")); // the 24 h reminder falls due
      var mails = mailTo(to, 2);
      assertTrue(cancelled.get(), "the booking was cancelled while the worker held its reminder");
      assertTrue(mails.get(1).subject().startsWith("Avbokad: Bygglov"), mails.get(1).subject());
      awaitFullPass(server);
      assertEquals(List.of("Bokningsbekräftelse", "Avbokad"),
          received(to).stream().map(m -> m.subject().replaceAll(":.*", "")).toList(), "no reminder after the cancellation");
      assertRemindersAre(booking.getString("reference"), "withdrawn");
    } finally {
      MailWorker.afterClaim = claimed -> Future.succeededFuture();
    }
  }

  @Test
  void aReminderHeldForSendingWhenItsBookingIsMovedIsNotSentAndTheNewTimesAreReminded() {
    LocalDate day = nextDay();
    String to = "karin.race.move@example.se";
    var booking = book(day, "13:00", desk, "desk", "sv", to);
    mailTo(to, 1);
    var moved = onceTheReminderIsClaimed(to, () -> server.client()
        .post("/api/v1/bookings/" + booking.getString("reference") + "/reschedule")
        .putHeader("X-Manage-Token", booking.getString("manageToken"))
        .sendJsonObject(new JsonObject().put("start", ZonedDateTime.of(day, LocalTime.of(16, 30), STOCKHOLM).toOffsetDateTime().toString()))
        .map(r -> r.statusCode()));
    try {
      CLOCK.set(at(day.minusDays(1), "13:00")); // the 24 h reminder of 13:00 falls due
      var mails = mailTo(to, 2);
      assertTrue(moved.get(), "the booking was moved while the worker held its reminder");
      assertTrue(mails.get(1).subject().startsWith("Ny tid: Bygglov"), mails.get(1).subject());
      awaitFullPass(server);
      assertEquals(List.of("Bokningsbekräftelse", "Ny tid"),
          received(to).stream().map(m -> m.subject().replaceAll(":.*", "")).toList(), "no reminder of the old time");
      CLOCK.set(at(day.minusDays(1), "16:30")); // the new time's 24 h reminder
      var reminder = mailTo(to, 3).get(2);
      assertTrue(reminder.subject().startsWith("Påminnelse: Bygglov"), reminder.subject());
      assertTrue(reminder.text().contains("kl. 16:30"), reminder.text());
      awaitFullPass(server); // the mail server has the reminder; the worker marks it sent after that
      var statuses = messages(booking.getString("reference")).stream()
          .map(m -> m.getString("kind") + "/" + m.getInteger("bookingSequence") + "/" + m.getString("status")).toList();
      assertTrue(statuses.containsAll(List.of("reminder/0/withdrawn", "rescheduled/1/sent", "reminder/1/sent")), statuses.toString());
    } finally {
      MailWorker.afterClaim = claimed -> Future.succeededFuture();
    }
  }

  /** Completes when a statement of this server's database waits for a lock (polled every 20 ms, at most 10 s). */
  static Future<Void> someoneWaitsForALock() {
    return someoneWaitsForALock(500);
  }

  private static Future<Void> someoneWaitsForALock(int left) {
    return server.pool().query("""
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'""")
        .execute().compose(rows -> rows.iterator().next().getLong(0) > 0
            ? Future.succeededFuture()
            : left == 0
                ? Future.failedFuture(new AssertionError("nobody waited for a lock"))
                : server.vertx().timer(20).compose(t -> someoneWaitsForALock(left - 1)));
  }

  @Test
  void aCancellationWhileTheReminderIsBeingSentWaitsUntilItIsSentAndRecorded() {
    LocalDate day = nextDay();
    String to = "karin.race.late@example.se";
    var booking = book(day, "14:30", desk, "desk", "sv", to);
    mailTo(to, 1);
    var cancellation = new AtomicReference<Future<Integer>>();
    MailWorker.afterHold = claimed -> claimed.stream().anyMatch(m -> m.kind().equals("reminder") && to.equals(m.recipient()))
        && cancellation.compareAndSet(null, server.client().delete("/api/v1/bookings/" + booking.getString("reference"))
            .putHeader("X-Manage-Token", booking.getString("manageToken")).send().map(r -> r.statusCode()))
        ? someoneWaitsForALock()
        : Future.succeededFuture();
    try {
      CLOCK.set(at(day.minusDays(1), "14:30")); // the 24 h reminder falls due
      var mails = mailTo(to, 3);
      assertEquals(List.of("Bokningsbekräftelse", "Påminnelse", "Avbokad"),
          mails.stream().map(m -> m.subject().replaceAll(":.*", "")).toList(),
          "the reminder went out before the cancellation took effect, and the cancellation after it");
      assertEquals(200, cancellation.get().await());
      awaitFullPass(server); // the last mail is at the mail server; the worker records it after that
      var statuses = messages(booking.getString("reference")).stream()
          .map(m -> m.getString("kind") + "/" + m.getInteger("reminderMinutesBefore") + "/" + m.getString("status")).toList();
      assertEquals(List.of("confirmation/null/sent", "reminder/1440/sent", "reminder/120/withdrawn", "cancellation/null/sent"),
          statuses);
    } finally {
      MailWorker.afterHold = claimed -> Future.succeededFuture();
    }
  }

  @Test
  void remindersGoOutAtTheirTimeOnceAndFollowAReschedule() {
    LocalDate day = nextDay();
    String to = "karin.move@example.se";
    var booking = book(day, "09:00", desk, "desk", "sv", to);
    mailTo(to, 1);
    var moved = server.client().post("/api/v1/bookings/" + booking.getString("reference") + "/reschedule")
        .putHeader("X-Manage-Token", booking.getString("manageToken"))
        .sendJsonObject(new JsonObject().put("start", ZonedDateTime.of(day, LocalTime.of(15, 0), STOCKHOLM).toOffsetDateTime().toString()))
        .await();
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    var notice = mailTo(to, 2).get(1);
    assertTrue(notice.subject().startsWith("Ny tid: Bygglov"), notice.subject());
    assertTrue(notice.text().contains("kl. 15:00–15:30"));
    assertEquals("REQUEST", property(notice, Property.METHOD));
    assertEquals("1", event(notice).getProperty(Property.SEQUENCE).orElseThrow().getValue(), "a higher SEQUENCE");
    assertEquals(at(day, "15:00"), Instant.from(event(notice).getDateTimeStart().orElseThrow().getDate()));

    CLOCK.set(at(day.minusDays(1), "09:30")); // the old 24 h reminder's time, withdrawn
    awaitFullPass(server);
    assertEquals(2, received(to).size());
    CLOCK.set(at(day.minusDays(1), "15:00"));
    var reminder = mailTo(to, 3).get(2);
    assertTrue(reminder.subject().startsWith("Påminnelse: Bygglov"), reminder.subject());
    assertTrue(reminder.text().contains("kl. 15:00"));
    assertNull(reminder.calendar(), "reminders carry no calendar file");
    awaitFullPass(server);
    assertEquals(3, received(to).size(), "sent once");
    CLOCK.set(at(day, "13:00"));
    var second = mailTo(to, 4).get(3);
    assertTrue(second.subject().startsWith("Påminnelse:"));
    awaitFullPass(server); // the mail server has it; the worker marks it sent after that
    var statuses = messages(booking.getString("reference"));
    assertEquals(List.of("sent", "withdrawn", "withdrawn", "sent", "sent", "sent"),
        statuses.stream().map(m -> m.getString("status")).toList(), statuses.toString());
  }

  @Test
  void aReminderWhoseTimeHasPassedIsNotQueuedAndOneForAnAppointmentThatBeganIsNotSent() {
    LocalDate day = nextDay();
    CLOCK.set(at(day, "09:00"));
    String to = "late@example.se";
    var booking = book(day, "10:00", desk, "desk", "en", to);
    mailTo(to, 1);
    assertEquals(List.of("confirmation"), messages(booking.getString("reference")).stream()
        .map(m -> m.getString("kind")).toList(), "24 h and 2 h before 10:00 have passed at 09:00");

    CLOCK.set(at(day.minusDays(2), "09:00"));
    String early = "early@example.se";
    var later = book(day, "16:00", desk, "desk", "en", early);
    mailTo(early, 1);
    server.sql("UPDATE mail_message SET status = 'queued' WHERE kind = 'reminder' AND recipient = $1", early);
    CLOCK.set(at(day, "16:30")); // the server was down through both reminders and the appointment
    awaitFullPass(server);
    assertEquals(1, received(early).size(), "no reminder after the appointment began");
    assertRemindersAre(later.getString("reference"), "skipped");
  }

  @Test
  void whenABookingsAddressIsRemovedItsMessagesForgetItInTheSameChange() {
    LocalDate day = nextDay();
    String to = "forget.me@example.se";
    var booking = book(day, "15:30", desk, "desk", "en", to);
    mailTo(to, 1);
    server.sql("UPDATE booking SET name = NULL, email = NULL, phone = NULL, anonymised_at = now() WHERE reference = $1",
        booking.getString("reference"));
    assertEquals(0L, server.sql("""
            SELECT count(*) FROM mail_message m JOIN booking b ON b.id = m.booking_id
            WHERE b.reference = $1 AND m.recipient IS NOT NULL""", booking.getString("reference"))
        .iterator().next().getLong(0), "no message keeps the address");
  }

  @Test
  void whileSmtpIsDownMessagesWaitAndAreDeliveredExactlyOnceWhenItIsBack() {
    LocalDate day = nextDay();
    smtp.stop();
    var references = new ArrayList<String>();
    try {
      for (int i = 0; i < 3; i++) {
        references.add(book(day, (10 + i) + ":30", desk, "desk", "sv", "outage" + i + "@example.se").getString("reference"));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline && server.sql(
          "SELECT count(*) FROM mail_message WHERE kind = 'confirmation' AND attempts > 0 AND status = 'queued' AND last_error IS NOT NULL AND recipient LIKE 'outage%'")
          .iterator().next().getLong(0) < 3) {
        sleep(100);
      }
      var waiting = messages(references.get(0)).get(0);
      assertEquals("queued", waiting.getString("status"));
      assertNotNull(waiting.getString("lastError"), "staff see why it waits");
    } finally {
      smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
      smtp.start();
    }
    CLOCK.set(at(DAY.minusDays(3), "09:00")); // past the back-off
    for (int i = 0; i < 3; i++) {
      assertEquals(1, mailTo("outage" + i + "@example.se", 1).size());
    }
    awaitFullPass(server);
    for (int i = 0; i < 3; i++) {
      assertEquals(1, received("outage" + i + "@example.se").size(), "exactly once");
    }
  }

  @Test
  void afterTheLastAttemptAMessageIsMarkedFailedWithItsReasonAndCounted() {
    LocalDate day = nextDay();
    String to = "never@example.se";
    smtp.stop();
    try {
      var booking = book(day, "16:30", desk, "desk", "sv", to);
      for (int attempt = 1; attempt <= 3; attempt++) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int expected = attempt;
        while (System.nanoTime() < deadline && messages(booking.getString("reference")).stream()
            .noneMatch(m -> m.getString("kind").equals("confirmation") && m.getInteger("attempts") == expected
                && !m.getString("status").equals("sending"))) {
          sleep(50);
        }
        CLOCK.advance(Duration.ofMinutes(10)); // past the back-off: 1 s, then 2 s
      }
      var confirmation = messages(booking.getString("reference")).stream()
          .filter(m -> m.getString("kind").equals("confirmation")).findFirst().orElseThrow();
      assertEquals("failed", confirmation.getString("status"), confirmation.encode());
      assertEquals(3, confirmation.getInteger("attempts"));
      assertNotNull(confirmation.getString("lastError"));
      String metrics = server.get("/metrics", TestServer.METRICS_TOKEN).bodyAsString();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("servicepunkt_mail_messages_total{outcome=\"failed\"") && !l.endsWith(" 0.0")),
          metrics.lines().filter(l -> l.contains("servicepunkt_mail")).toList().toString());
      assertTrue(metrics.contains("servicepunkt_mail_messages_total{outcome=\"retried\""));
    } finally {
      smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
      smtp.start();
    }
    CLOCK.advance(Duration.ofMinutes(10));
    awaitFullPass(server);
    assertEquals(0, received(to).size(), "a failed message is not sent later");
  }

  @Test
  void aRestartBetweenQueueingAndSendingLosesNothing() {
    var quietConfig = new HashMap<>(mailConfig());
    quietConfig.remove("smtpHost");
    quietConfig.remove("mailFrom");
    String dbUrl;
    String to = "restart@example.se";
    try (var quiet = TestServer.start(quietConfig, CLOCK)) {
      dbUrl = quiet.config().dbUrl();
      var qfx = new Fixtures(quiet);
      String org = qfx.organisation("Upplands-Bro kommun");
      String qadmin = qfx.token(org, "admin", "staff");
      String qpoint = qfx.servicePoint(qadmin, "Medborgarkontor Kungsängen", "office");
      qfx.openEveryDay(qadmin, qpoint, "08:00", "18:00");
      String service = created(quiet.post("/api/v1/services", qadmin, new JsonObject().put("nameSv", "Ärende").put("nameEn", "Errand")
          .put("ticketLetter", "A").put("durationMinutes", 30).put("channels", new JsonArray().add("desk"))
          .put("minNoticeMinutes", 0))).getString("id");
      quiet.put("/api/v1/service-points/" + qpoint + "/services/" + service, qadmin, null);
      String staff = created(quiet.post("/api/v1/staff", qadmin, new JsonObject().put("email", "s@kungsangen.example")
          .put("displayName", "S").put("password", "a-long-enough-password").put("roles", new JsonArray().add("staff"))))
          .getString("id");
      quiet.put("/api/v1/staff/" + staff + "/skills", qadmin, new JsonObject().put("serviceIds", new JsonArray().add(service)));
      var shift = quiet.post("/api/v1/shifts/batch", qadmin, new JsonObject().put("shifts", new JsonArray().add(new JsonObject()
          .put("staffId", staff).put("servicePointId", qpoint).put("channel", "desk")
          .put("start", at(DAY, "08:00").toString()).put("end", at(DAY, "18:00").toString()))));
      assertEquals(201, shift.statusCode(), shift.bodyAsString());
      created(quiet.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", qpoint).put("serviceId", service)
          .put("channel", "desk").put("start", ZonedDateTime.of(DAY, LocalTime.of(9, 0), STOCKHOLM).toOffsetDateTime().toString())
          .put("name", "Per Persson").put("email", to).put("language", "sv").put("consent", true)));
      // Without SMTP there is no worker at all: the message is in the outbox, queued and never tried.
      var waiting = quiet.sql("SELECT status, attempts FROM mail_message WHERE kind = 'confirmation'").iterator().next();
      assertEquals("queued", waiting.getString("status"));
      assertEquals(0, waiting.getInteger("attempts"));
    }
    try (var restarted = TestServer.on(dbUrl, mailConfig(), CLOCK)) {
      var mail = mailTo(to, 1).get(0);
      assertTrue(mail.subject().startsWith("Bokningsbekräftelse: Ärende"));
      assertEquals("sent", restarted.sql("SELECT status FROM mail_message WHERE kind = 'confirmation'").iterator().next().getString(0));
    }
  }

  @Test
  void twoInstancesOnOneDatabaseSendEveryMessageOnce() {
    LocalDate day = nextDay();
    try (var second = server.another(mailConfig())) {
      var bookings = new ArrayList<io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>>();
      int n = 0;
      for (int hour = 8; hour < 18; hour++) {
        for (String minute : List.of("00", "30")) {
          String time = String.format("%02d:%s", hour, minute);
          var target = n % 2 == 0 ? server : second;
          bookings.add(target.client().post("/api/v1/bookings").sendJsonObject(new JsonObject().put("servicePointId", point)
              .put("serviceId", desk).put("channel", "desk")
              .put("start", ZonedDateTime.of(day, LocalTime.parse(time), STOCKHOLM).toOffsetDateTime().toString())
              .put("name", "Besökare " + n).put("email", "pair" + n + "@example.se").put("language", n % 2 == 0 ? "sv" : "en")
              .put("consent", true)));
          n++;
        }
      }
      io.vertx.core.Future.join(bookings).await();
      int created = (int) bookings.stream().filter(f -> f.result().statusCode() == 201).count();
      assertTrue(created >= 20, "bookings made: " + created);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline && countPairs() < created) {
        sleep(100);
      }
      awaitFullPass(server); // anything about to be sent twice would be sent by now
      awaitFullPass(second);
      var ids = new HashSet<String>();
      int pairs = 0;
      for (MimeMessage message : smtp.getReceivedMessages()) {
        var mail = ReceivedMail.of(message);
        if (mail.to().startsWith("pair")) {
          pairs++;
          assertTrue(ids.add(mail.messageId()), "sent twice: " + mail.messageId());
        }
      }
      assertEquals(created, pairs, "every confirmation once");
      assertEquals((long) created, server.sql("SELECT count(*) FROM mail_message WHERE kind = 'confirmation' AND status = 'sent' AND recipient LIKE 'pair%'")
          .iterator().next().getLong(0));
    }
  }

  static int countPairs() {
    int count = 0;
    for (MimeMessage message : smtp.getReceivedMessages()) {
      if (ReceivedMail.of(message).to().startsWith("pair")) {
        count++;
      }
    }
    return count;
  }
}
