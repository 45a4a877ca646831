package se.servicepunkt.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;

/** A message as GreenMail received it, taken apart: headers, plain text, HTML and the calendar file. */
record ReceivedMail(String messageId, String to, String subject, String text, String html, String icsContentType,
                    Calendar calendar) {

  static ReceivedMail of(MimeMessage message) {
    try {
      var parts = new Parts();
      parts.walk(message);
      Calendar calendar = parts.ics == null ? null
          : new CalendarBuilder().build(new ByteArrayInputStream(parts.ics.getBytes(StandardCharsets.UTF_8)));
      return new ReceivedMail(message.getMessageID(), message.getRecipients(jakarta.mail.Message.RecipientType.TO)[0].toString(),
          message.getSubject(), parts.text, parts.html, parts.icsType, calendar);
    } catch (Exception e) {
      throw new AssertionError("could not read a received message", e);
    }
  }

  private static final class Parts {
    String text;
    String html;
    String ics;
    String icsType;

    void walk(Part part) throws Exception {
      if (part.isMimeType("multipart/*")) {
        Multipart multipart = (Multipart) part.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart body = multipart.getBodyPart(i);
          walk(body);
        }
      } else if (part.isMimeType("text/calendar")) {
        icsType = part.getContentType();
        ics = read(part);
      } else if (part.isMimeType("text/plain")) {
        text = read(part);
      } else if (part.isMimeType("text/html")) {
        html = read(part);
      }
    }

    private static String read(Part part) throws Exception {
      Object content = part.getContent();
      if (content instanceof String s) {
        return s;
      }
      try (InputStream in = (InputStream) content) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
