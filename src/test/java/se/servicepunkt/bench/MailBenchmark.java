package se.servicepunkt.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestDatabase;
import se.servicepunkt.testing.TestServer;

/**
 * Reminder throughput: 10,000 reminders already due wait in the outbox of a server without SMTP;
 * then a server with SMTP starts on the same database (or {@code --instances 2} of them) and the
 * harness times the delivery of every message to a local SMTP server (GreenMail, in this JVM),
 * then checks that each was received exactly once and is marked sent.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=se.servicepunkt.bench.MailBenchmark \
 *   -Dexec.args="--messages 10000 --instances 1"</pre>
 */
public final class MailBenchmark {
  public static void main(String[] args) throws Exception {
    TestDatabase.durable();
    var options = new HashMap<String, Integer>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), Integer.parseInt(args[i + 1]));
    }
    int messages = options.getOrDefault("messages", 10_000);
    int instances = options.getOrDefault("instances", 1);
    int port = TestServer.freePort();
    var smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    try {
      var seeding = TestServer.start(Map.of());
      seed(seeding, messages);
      System.out.printf("seeded: %d reminders due, waiting in the outbox (no SMTP configured)%n", messages);
      Map<String, Object> mail = Map.of("smtpHost", "127.0.0.1", "smtpPort", port, "smtpTls", "none",
          "mailFrom", "Servicepunkt <no-reply@bench.example>", "publicUrl", "https://servicepunkt.bench");
      seeding.close();
      long t0 = System.nanoTime();
      var senders = new java.util.ArrayList<TestServer>();
      try {
        for (int i = 0; i < instances; i++) {
          senders.add(TestServer.on(seeding.config().dbUrl(), mail, java.time.Clock.systemUTC()));
        }
        long started = System.nanoTime();
        long deadline = started + 600_000_000_000L;
        while (smtp.getReceivedMessages().length < messages && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        long done = System.nanoTime();
        int received = smtp.getReceivedMessages().length;
        Thread.sleep(2_000); // anything sent twice would arrive now
        var ids = new HashSet<String>();
        int duplicates = 0;
        for (MimeMessage message : smtp.getReceivedMessages()) {
          if (!ids.add(message.getMessageID())) {
            duplicates++;
          }
        }
        var db = senders.get(0);
        long sent = db.sql("SELECT count(*) FROM mail_message WHERE status = 'sent'").iterator().next().getLong(0);
        long attempts = db.sql("SELECT coalesce(sum(attempts), 0) FROM mail_message").iterator().next().getLong(0);
        System.out.printf("delivered %d of %d with %d instance(s) in %.2f s after start-up (%.2f s including it): %.0f messages/s%n",
            received, messages, instances, (done - started) / 1e9, (done - t0) / 1e9, received / ((done - started) / 1e9));
        System.out.printf("check: %d distinct Message-IDs received, %d received twice, %d marked sent, %d attempts in all%n",
            ids.size(), duplicates, sent, attempts);
        if (ids.size() != messages || duplicates != 0 || sent != messages) {
          System.out.println("FAILED: lost or doubled messages");
          System.exit(1);
        }
      } finally {
        senders.forEach(TestServer::close);
      }
    } finally {
      smtp.stop();
    }
  }

  /** A point, a service, a member of staff and {@code n} bookings, each with a reminder due now. */
  private static void seed(TestServer server, int n) {
    var fx = new Fixtures(server);
    String org = fx.organisation("Benchmarks kommun");
    String admin = fx.token(org, "admin");
    String point = fx.servicePoint(admin, "Medborgarkontoret", "office");
    String service = Fixtures.created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Ärende")
        .put("nameEn", "Errand").put("ticketLetter", "A").put("durationMinutes", 15)
        .put("channels", new JsonArray().add("desk")))).getString("id");
    String staff = Fixtures.created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "staff@bench.example")
        .put("displayName", "Staff").put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("staff")))).getString("id");
    // The bookings' own messages (confirmations, reminders to come) would only be in the way: the
    // harness plants exactly one due reminder per booking, as after an outage.
    server.sql("ALTER TABLE booking DISABLE TRIGGER mail_booking_created");
    server.sql("""
        INSERT INTO booking (reference, manage_token_hash, service_point_id, service_id, staff_id, channel, period,
                             language, name, email)
        SELECT 'BM' || lpad(i::text, 7, '0'), sha256(i::text::bytea), $1, $2, $3, 'desk',
               tstzrange(now() + interval '1 day' + i * interval '15 minutes',
                         now() + interval '1 day' + (i + 1) * interval '15 minutes', '[)'),
               CASE WHEN i % 2 = 0 THEN 'sv' ELSE 'en' END, 'Besökare ' || i, 'resident' || i || '@bench.example'
        FROM generate_series(1, $4) AS i""", UUID.fromString(point), UUID.fromString(service), UUID.fromString(staff), n);
    server.sql("ALTER TABLE booking ENABLE TRIGGER mail_booking_created");
    server.sql("""
        INSERT INTO mail_message (booking_id, kind, offset_minutes, booking_sequence, recipient, language, due_at, message_id)
        SELECT b.id, 'reminder', 1440, 0, b.email, b.language, now() - interval '1 minute',
               '<' || gen_random_uuid() || '@servicepunkt.bench>'
        FROM booking b""");
  }
}
