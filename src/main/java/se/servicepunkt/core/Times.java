package se.servicepunkt.core;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/** How times are written in JSON: instants with the service point's offset, local times as HH:mm. */
public final class Times {

  private Times() {
  }

  /** The instant at UTC, as the SQL client binds {@code timestamptz} parameters; null stays null. */
  public static OffsetDateTime utc(java.time.Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** {@code 2026-03-30T09:00:00+02:00}. */
  public static String iso(TemporalAccessor offsetOrZoned) {
    if (offsetOrZoned instanceof ZonedDateTime zoned) {
      return iso(zoned.toLocalDateTime(), zoned.getOffset());
    }
    if (offsetOrZoned instanceof OffsetDateTime offset) {
      return iso(offset.toLocalDateTime(), offset.getOffset());
    }
    return offsetOrZoned == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(offsetOrZoned);
  }

  /**
   * What {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes, without its generic machinery
   * for the common case (four-digit year, offset in whole minutes): availability writes two of
   * these per slot, hundreds per answer, and each visitor's state carries times read from the
   * database (with microseconds) several times a second. A fraction of a second is written as
   * that formatter does: nine digits at most, without trailing zeros.
   */
  private static String iso(LocalDateTime local, ZoneOffset offset) {
    if (local.getYear() < 1000 || local.getYear() > 9999 || offset.getTotalSeconds() % 60 != 0) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local.atOffset(offset));
    }
    var out = new StringBuilder(35).append(local.toLocalDate()).append('T');
    twoDigits(out, local.getHour()).append(':');
    twoDigits(out, local.getMinute()).append(':');
    twoDigits(out, local.getSecond());
    int nano = local.getNano();
    if (nano != 0) {
      int digits = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        digits--;
      }
      out.append('.');
      String fraction = Integer.toString(nano);
      for (int i = fraction.length(); i < digits; i++) {
        out.append('0');
      }
      out.append(fraction);
    }
    return out.append(offset.getId()).toString();
  }

  private static StringBuilder twoDigits(StringBuilder out, int value) {
    return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  /** The instant as seen in {@code zone}, written with that zone's offset at that instant. */
  public static String iso(OffsetDateTime instant, ZoneId zone) {
    return instant == null ? null : iso(instant.atZoneSameInstant(zone));
  }

  private static final java.util.Map<String, DateTimeFormatter> LONG_DATES = java.util.Map.of(
      "sv", DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", java.util.Locale.forLanguageTag("sv-SE")),
      "en", DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", java.util.Locale.UK));

  /** A date written out for residents: "onsdag 2 december 2026", "Wednesday 2 December 2026". */
  public static String longDate(java.time.LocalDate date, String language) {
    return LONG_DATES.get("en".equals(language) ? "en" : "sv").format(date);
  }

  public static String hhmm(LocalTime time) {
    if (time == null) {
      return null;
    }
    var out = new StringBuilder(5);
    return twoDigits(twoDigits(out, time.getHour()).append(':'), time.getMinute()).toString();
  }
}
