package se.servicepunkt.web;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/** How times are written in JSON: instants with the service point's offset, local times as HH:mm. */
public final class Times {
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private Times() {
  }

  /** {@code 2026-03-30T09:00:00+02:00}. */
  public static String iso(TemporalAccessor offsetOrZoned) {
    return offsetOrZoned == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(offsetOrZoned);
  }

  /** The instant as seen in {@code zone}, written with that zone's offset at that instant. */
  public static String iso(OffsetDateTime instant, ZoneId zone) {
    return instant == null ? null : iso(instant.atZoneSameInstant(zone));
  }

  public static String hhmm(LocalTime time) {
    return time == null ? null : HH_MM.format(time);
  }
}
