package se.servicepunkt.booking;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;

/**
 * An RFC 5545 calendar with one event for a booking: a stable UID (the booking's id), a SEQUENCE
 * that grows with every change, the start and end in UTC, the place or the video link, and the
 * manage link.
 *
 * <p>The times are UTC ({@code 20271031T003000Z}) rather than the point's local time with a TZID,
 * because a booking is an instant and UTC is the one form every reader turns into that instant.
 * Local times are not: a time in the hour repeated in October names two instants, and readers
 * pick different ones (RFC 5545 says the first, ical.js takes the second), and readers that build
 * their rules from a VTIMEZONE do not all place the change where it is (ical4j 4.0 reads 03:00 on
 * the October night as summer time). Calendar apps show a UTC time in the device's zone, which
 * for a resident is the point's; without a TZID no VTIMEZONE is needed.
 */
public final class CalendarFile {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** {@code PUBLISH} for a download, {@code REQUEST} for an invitation, {@code CANCEL} when cancelled. */
  public enum Method { PUBLISH, REQUEST, CANCEL }

  private CalendarFile() {
  }

  static String of(Booking booking, Method method, String videoLink, String manageUrl, String domain) {
    return of(booking, method, videoLink, manageUrl, domain, null);
  }

  /**
   * As above; an invitation or cancellation sent by e-mail ({@code REQUEST}, {@code CANCEL}) names
   * the sender as ORGANIZER and the resident as ATTENDEE, as iTIP (RFC 5546) asks.
   */
  public static String of(Booking booking, Method method, String videoLink, String manageUrl, String domain,
                          String organizerEmail) {
    boolean english = "en".equals(booking.language());
    var lines = new ArrayList<String>();
    lines.add("BEGIN:VCALENDAR");
    lines.add("VERSION:2.0");
    lines.add("PRODID:-//Servicepunkt//Servicepunkt//" + (english ? "EN" : "SV"));
    lines.add("CALSCALE:GREGORIAN");
    lines.add("METHOD:" + method);
    lines.add("BEGIN:VEVENT");
    lines.add("UID:" + booking.id() + "@" + domain);
    lines.add("DTSTAMP:" + utc(booking.updatedAt()));
    lines.add("SEQUENCE:" + booking.sequence());
    lines.add("DTSTART:" + utc(booking.start()));
    lines.add("DTEND:" + utc(booking.end()));
    lines.add("SUMMARY:" + text(booking.serviceName() + " – " + booking.pointName()));
    String where = booking.video() ? videoLink : address(booking);
    if (where != null) {
      lines.add("LOCATION:" + text(where));
    }
    String description = (english ? "Booking reference: " : "Bokningsnummer: ") + booking.reference()
        + (booking.video() && videoLink != null ? (english ? "\nJoin the video meeting: " : "\nAnslut till videomötet: ") + videoLink : "")
        + (english ? "\nChange or cancel: " : "\nÄndra eller avboka: ") + manageUrl;
    lines.add("DESCRIPTION:" + text(description));
    lines.add("URL:" + manageUrl);
    if (method != Method.PUBLISH && organizerEmail != null) {
      lines.add("ORGANIZER;CN=\"" + quoted(booking.pointName()) + "\":mailto:" + organizerEmail);
      if (booking.email() != null) {
        lines.add("ATTENDEE;CN=\"" + quoted(booking.name() == null ? booking.email() : booking.name())
            + "\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:" + booking.email());
      }
    }
    lines.add("STATUS:" + (booking.active() && method != Method.CANCEL ? "CONFIRMED" : "CANCELLED"));
    lines.add("END:VEVENT");
    lines.add("END:VCALENDAR");
    var ics = new StringBuilder();
    lines.forEach(line -> ics.append(fold(line)));
    return ics.toString();
  }

  /** A parameter value inside double quotes may not hold a double quote or a control character. */
  private static String quoted(String value) {
    return value.replaceAll("[\"\\p{Cntrl}]", "");
  }

  private static String address(Booking booking) {
    String street = booking.streetAddress();
    return street == null ? booking.pointName() : booking.pointName() + ", " + street;
  }

  private static String utc(OffsetDateTime time) {
    return UTC.format(time.withOffsetSameInstant(ZoneOffset.UTC));
  }

  /** TEXT escaping (RFC 5545 3.3.11). */
  static String text(String value) {
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n");
  }

  /** Lines end in CRLF and are folded at 75 octets, never inside a UTF-8 character. */
  static String fold(String line) {
    var out = new StringBuilder();
    int octets = 0;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + size > 75) {
        out.append("\r\n ");
        octets = 1;
      }
      out.appendCodePoint(cp);
      octets += size;
      i += Character.charCount(cp);
    }
    return out.append("\r\n").toString();
  }
}
