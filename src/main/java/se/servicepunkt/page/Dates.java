package se.servicepunkt.page;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;

/**
 * Dates and times written out for residents, always on the 24-hour clock and in the zone the caller
 * has already moved them to (the service point's): "tisdag 3 mars kl. 10.30" in Swedish (the
 * Swedish Language Council's way, with a full stop between hours and minutes), "Tuesday 3 March at
 * 10:30" in English.
 */
public final class Dates {
  private static final Map<Lang, DateTimeFormatter> DATE = new EnumMap<>(Map.of(
      Lang.SV, DateTimeFormatter.ofPattern("EEEE d MMMM", Lang.SV.locale()),
      Lang.EN, DateTimeFormatter.ofPattern("EEEE d MMMM", Lang.EN.locale())));
  private static final Map<Lang, DateTimeFormatter> DATE_WITH_YEAR = new EnumMap<>(Map.of(
      Lang.SV, DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Lang.SV.locale()),
      Lang.EN, DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Lang.EN.locale())));
  private static final Map<Lang, DateTimeFormatter> DAY = new EnumMap<>(Map.of(
      Lang.SV, DateTimeFormatter.ofPattern("d MMMM yyyy", Lang.SV.locale()),
      Lang.EN, DateTimeFormatter.ofPattern("d MMMM yyyy", Lang.EN.locale())));

  private Dates() {
  }

  /** "tisdag 3 mars", "Tuesday 3 March". */
  public static String date(LocalDate date, Lang lang) {
    return DATE.get(lang).format(date);
  }

  /** "tisdag 3 mars 2026", "Tuesday 3 March 2026". */
  public static String dateWithYear(LocalDate date, Lang lang) {
    return DATE_WITH_YEAR.get(lang).format(date);
  }

  /** "3 mars 2026", "3 March 2026": a date in running text, such as when a statement was updated. */
  public static String day(LocalDate date, Lang lang) {
    return DAY.get(lang).format(date);
  }

  /** "10.30", "10:30". */
  public static String time(LocalTime time, Lang lang) {
    char separator = lang == Lang.SV ? '.' : ':';
    return two(time.getHour()) + separator + two(time.getMinute());
  }

  /** "10.00–14.00", "10:00–14:00". */
  public static String timeRange(LocalTime from, LocalTime to, Lang lang) {
    return time(from, lang) + "–" + time(to, lang);
  }

  /** "tisdag 3 mars kl. 10.30", "Tuesday 3 March at 10:30". */
  public static String dateTime(ZonedDateTime at, Lang lang) {
    return date(at.toLocalDate(), lang) + (lang == Lang.SV ? " kl. " : " at ") + time(at.toLocalTime(), lang);
  }

  /** "tisdag 3 mars kl. 10.00–14.00", "Tuesday 3 March, 10:00–14:00". */
  public static String dateTimeRange(LocalDate date, LocalTime from, LocalTime to, Lang lang) {
    return date(date, lang) + (lang == Lang.SV ? " kl. " : ", ") + timeRange(from, to, lang);
  }

  /** "tisdag 3 mars 2026 kl. 10.00–10.30", "Tuesday 3 March 2026, 10:00–10:30": an appointment. */
  public static String dateWithYearTimeRange(LocalDate date, LocalTime from, LocalTime to, Lang lang) {
    return dateWithYear(date, lang) + (lang == Lang.SV ? " kl. " : ", ") + timeRange(from, to, lang);
  }

  private static String two(int value) {
    return value < 10 ? "0" + value : Integer.toString(value);
  }
}
