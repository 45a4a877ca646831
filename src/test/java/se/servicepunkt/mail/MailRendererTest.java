package se.servicepunkt.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import se.servicepunkt.booking.Booking;

/** Every kind of message in both languages and both channels, with times in the service point's zone. */
class MailRendererTest {
  private final MailRenderer renderer = new MailRenderer();

  static Booking booking(String channel, String language) {
    ZoneId zone = ZoneId.of("Europe/Stockholm");
    OffsetDateTime start = ZonedDateTime.of(2027, 3, 29, 9, 30, 0, 0, zone).toOffsetDateTime(); // the Monday after DST
    return new Booking(UUID.randomUUID(), "K7XM-2QPD", new byte[32], UUID.randomUUID(), "Hemse servicepunkt", zone,
        "Storgatan 34", "623 31", "Hemse", UUID.randomUUID(), UUID.randomUUID(), "Bygglov", "Building permits", 120,
        UUID.randomUUID(), channel, start, start.plusMinutes(30), "active", language, "Åsa <Öberg> & Co", "asa@example.se",
        null, "video".equals(channel) ? "sp-0123456789abcdef" : null, 0, start);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "confirmation, sv, desk, Bokningsbekräftelse: Bygglov måndag 29 mars 2027 kl. 09:30",
      "confirmation, sv, video, Bokningsbekräftelse: Bygglov måndag 29 mars 2027 kl. 09:30",
      "confirmation, en, desk, Booking confirmed: Building permits on Monday 29 March 2027 at 09:30",
      "confirmation, en, video, Booking confirmed: Building permits on Monday 29 March 2027 at 09:30",
      "reminder, sv, desk, Påminnelse: Bygglov måndag 29 mars 2027 kl. 09:30",
      "reminder, sv, video, Påminnelse: Bygglov måndag 29 mars 2027 kl. 09:30",
      "reminder, en, desk, Reminder: Building permits on Monday 29 March 2027 at 09:30",
      "reminder, en, video, Reminder: Building permits on Monday 29 March 2027 at 09:30",
      "rescheduled, sv, desk, Ny tid: Bygglov måndag 29 mars 2027 kl. 09:30",
      "rescheduled, sv, video, Ny tid: Bygglov måndag 29 mars 2027 kl. 09:30",
      "rescheduled, en, desk, New time: Building permits on Monday 29 March 2027 at 09:30",
      "rescheduled, en, video, New time: Building permits on Monday 29 March 2027 at 09:30",
      "cancellation, sv, desk, Avbokad: Bygglov måndag 29 mars 2027 kl. 09:30",
      "cancellation, sv, video, Avbokad: Bygglov måndag 29 mars 2027 kl. 09:30",
      "cancellation, en, desk, Cancelled: Building permits on Monday 29 March 2027 at 09:30",
      "cancellation, en, video, Cancelled: Building permits on Monday 29 March 2027 at 09:30"})
  void rendersInTheBookingsLanguageAndChannel(String kind, String language, String channel, String subject) {
    var booking = booking(channel, language);
    String link = "video".equals(channel) ? "https://meet.example.se/sp-0123456789abcdef" : null;
    var mail = renderer.render(kind, booking, "https://sp.example.se/manage/K7XM-2QPD?token=abc", link);
    assertTrue(mail.subject().equals(subject), mail.subject());
    boolean english = "en".equals(language);
    assertTrue(mail.text().startsWith(english ? "Hello Åsa <Öberg> & Co," : "Hej Åsa <Öberg> & Co!"), mail.text());
    assertTrue(mail.text().contains("09:30–10:00"), "local times: " + mail.text());
    assertTrue(mail.text().contains("K7XM-2QPD"));
    assertTrue(mail.html().contains("Åsa &lt;Öberg&gt; &amp; Co"), "HTML is escaped: " + mail.html());
    assertTrue(mail.html().contains("lang=\"" + language + "\""));
    assertTrue(mail.html().contains("09:30–10:00"));
    boolean cancellation = "cancellation".equals(kind);
    assertTrue(cancellation || mail.text().contains("https://sp.example.se/manage/K7XM-2QPD?token=abc"), mail.text());
    boolean video = "video".equals(channel) && !cancellation;
    assertTrue(!video || mail.text().contains(english ? "How to join" : "Så ansluter du"), mail.text());
    assertTrue(!video || mail.text().contains(link) && mail.html().contains("href=\"" + link.replace("=", "&#61;") + "\""));
    assertFalse(!video && mail.text().contains("meet.example.se"));
    assertTrue(video || cancellation || mail.text().contains("Storgatan 34, 623 31 Hemse"), mail.text());
    assertFalse(mail.text().contains("{{") || mail.html().contains("{{"), "every placeholder filled");
  }
}
