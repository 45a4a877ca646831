package se.servicepunkt.mail;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.io.Writer;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import se.servicepunkt.booking.Booking;
import se.servicepunkt.core.Times;

/**
 * The texts of the e-mails, from Mustache templates in {@code resources/mail}: for each kind and
 * language a plain-text template (its first line is the subject) and an HTML body set in
 * {@code layout.html}. Times are the service point's local times; the date is written out in
 * the booking's language ("onsdag 2 december 2026", "Wednesday 2 December 2026").
 */
final class MailRenderer {
  /** A rendered message. */
  record Rendered(String subject, String text, String html) {
  }


  /** HTML templates: values are escaped. */
  private final MustacheFactory html = new DefaultMustacheFactory("mail");
  /** Plain-text templates: values are written as they are. */
  private final MustacheFactory text = new DefaultMustacheFactory("mail") {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  Rendered render(String kind, Booking booking, String manageUrl, String videoLink) {
    String lang = "en".equals(booking.language()) ? "en" : "sv";
    ZonedDateTime start = booking.start().atZoneSameInstant(booking.zone());
    ZonedDateTime end = booking.end().atZoneSameInstant(booking.zone());
    var scope = new HashMap<String, Object>();
    scope.put("lang", lang);
    scope.put("name", booking.name() == null ? ("en".equals(lang) ? "there" : "") : booking.name());
    scope.put("service", booking.serviceName());
    scope.put("point", booking.pointName());
    scope.put("address", booking.streetAddress());
    scope.put("date", Times.longDate(start.toLocalDate(), lang));
    scope.put("time", Times.hhmm(start.toLocalTime()));
    scope.put("endTime", Times.hhmm(end.toLocalTime()));
    scope.put("reference", booking.reference());
    scope.put("manageUrl", manageUrl);
    scope.put("desk", !booking.video());
    scope.put("video", booking.video() && videoLink != null);
    scope.put("videoLink", videoLink);

    String plain = execute(text, kind + "." + lang + ".txt", scope);
    int firstLine = plain.indexOf('\n');
    String subject = plain.substring(0, firstLine).strip();
    String body = plain.substring(firstLine + 1).replaceAll("\n{3,}", "\n\n").strip() + "\n";
    scope.put("subject", subject);
    scope.put("body", execute(html, kind + "." + lang + ".html", scope));
    return new Rendered(subject, body, execute(html, "layout.html", scope));
  }

  private String execute(MustacheFactory factory, String template, Map<String, Object> scope) {
    var out = new StringWriter();
    factory.compile(template).execute(out, scope); // the factory keeps each compiled template
    return out.toString();
  }
}
