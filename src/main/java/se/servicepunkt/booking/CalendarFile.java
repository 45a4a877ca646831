package se.servicepunkt.booking;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransitionRule;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 5545 calendar with one event for a booking: a stable UID (the booking's id), a SEQUENCE
 * that grows with every change, local times with the point's TZID and a VTIMEZONE made from the
 * same java.time rules the server computes with, the place or the video link, and the manage link.
 */
public final class CalendarFile {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
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
    ZoneId zone = booking.zone();
    boolean english = "en".equals(booking.language());
    var lines = new ArrayList<String>();
    lines.add("BEGIN:VCALENDAR");
    lines.add("VERSION:2.0");
    lines.add("PRODID:-//Servicepunkt//Servicepunkt//" + (english ? "EN" : "SV"));
    lines.add("CALSCALE:GREGORIAN");
    lines.add("METHOD:" + method);
    lines.addAll(timeZone(zone));
    lines.add("BEGIN:VEVENT");
    lines.add("UID:" + booking.id() + "@" + domain);
    lines.add("DTSTAMP:" + UTC.format(booking.updatedAt().withOffsetSameInstant(ZoneOffset.UTC)));
    lines.add("SEQUENCE:" + booking.sequence());
    lines.add("DTSTART;TZID=" + zone.getId() + ":" + LOCAL.format(booking.start().atZoneSameInstant(zone)));
    lines.add("DTEND;TZID=" + zone.getId() + ":" + LOCAL.format(booking.end().atZoneSameInstant(zone)));
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

  /** A VTIMEZONE from the zone's current recurring rules (or its fixed offset). */
  static List<String> timeZone(ZoneId zone) {
    var rules = zone.getRules();
    var lines = new ArrayList<String>();
    lines.add("BEGIN:VTIMEZONE");
    lines.add("TZID:" + zone.getId());
    List<ZoneOffsetTransitionRule> transitions = rules.getTransitionRules();
    if (transitions.isEmpty()) {
      ZoneOffset offset = rules.getOffset(java.time.Instant.now());
      lines.addAll(List.of("BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset(offset),
          "TZOFFSETTO:" + offset(offset), "END:STANDARD"));
    }
    for (ZoneOffsetTransitionRule rule : transitions) {
      var first = rule.createTransition(1970);
      String kind = rule.getOffsetAfter().equals(rule.getStandardOffset()) ? "STANDARD" : "DAYLIGHT";
      lines.add("BEGIN:" + kind);
      lines.add("DTSTART:" + LOCAL.format(first.getDateTimeBefore()));
      lines.add("RRULE:FREQ=YEARLY;BYMONTH=" + rule.getMonth().getValue() + byDay(rule));
      lines.add("TZOFFSETFROM:" + offset(rule.getOffsetBefore()));
      lines.add("TZOFFSETTO:" + offset(rule.getOffsetAfter()));
      lines.add("END:" + kind);
    }
    lines.add("END:VTIMEZONE");
    return lines;
  }

  /** "The first Sunday on or after the 25th" is BYDAY=SU with BYMONTHDAY 25 to 31. */
  private static String byDay(ZoneOffsetTransitionRule rule) {
    DayOfWeek day = rule.getDayOfWeek();
    int indicator = rule.getDayOfMonthIndicator();
    if (day == null) {
      return ";BYMONTHDAY=" + indicator;
    }
    String weekday = day.name().substring(0, 2);
    var days = new ArrayList<String>();
    if (indicator > 0) {
      for (int d = indicator; d < indicator + 7; d++) {
        days.add(String.valueOf(d));
      }
    } else {
      for (int d = indicator; d > indicator - 7; d--) {
        days.add(String.valueOf(d));
      }
    }
    return ";BYDAY=" + weekday + ";BYMONTHDAY=" + String.join(",", days);
  }

  private static String offset(ZoneOffset offset) {
    return offset.getId().equals("Z") ? "+0000" : offset.getId().replace(":", "");
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
