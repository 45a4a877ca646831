package se.servicepunkt.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.directory.OpeningCalendar;

/**
 * The bookable start times of a service, computed without I/O. Slots follow the local clock:
 * inside each open interval of a day they start at the opening time and then every service
 * duration, in the point's zone. A clock time that does not exist (the hour skipped in March)
 * gives no slot; a clock time that happens twice (the hour repeated in October) gives one slot,
 * at its first occurrence. A slot is free when some member of staff with the skill has a shift
 * covering it and no active booking overlapping it; and it must respect the service's minimum
 * notice and booking horizon.
 */
public final class Slots {
  /** A time a member of staff is busy or available: [start, end). */
  public record Span(UUID staffId, Instant start, Instant end) {
    boolean covers(Instant from, Instant to) {
      return !start.isAfter(from) && !end.isBefore(to);
    }

  }

  /** A free start time. */
  public record Slot(ZonedDateTime start, ZonedDateTime end) {
  }

  private Slots() {
  }

  /**
   * @param earliest the first instant a slot may start (now plus the minimum notice)
   * @param latest   the instant no slot may start at or after (the end of the horizon)
   */
  public static List<Slot> free(List<OpeningCalendar.Day> days, ZoneId zone, Duration duration, List<Span> shifts,
                                List<Span> bookings, Instant earliest, Instant latest) {
    var busy = byStaff(bookings);
    var slots = new ArrayList<Slot>();
    for (OpeningCalendar.Day day : days) {
      for (OpeningCalendar.Interval interval : day.intervals()) {
        for (ZonedDateTime start : grid(day.date(), interval, zone, duration)) {
          ZonedDateTime end = start.plus(duration);
          Instant from = start.toInstant();
          Instant to = end.toInstant();
          if (!from.isBefore(earliest) && from.isBefore(latest) && anyoneFree(shifts, busy, from, to)) {
            slots.add(new Slot(start, end));
          }
        }
      }
    }
    return slots;
  }

  /** The slot start times of one open interval, in local clock steps of {@code duration}. */
  static List<ZonedDateTime> grid(LocalDate date, OpeningCalendar.Interval interval, ZoneId zone, Duration duration) {
    var starts = new ArrayList<ZonedDateTime>();
    LocalDateTime closes = date.atTime(interval.closes());
    for (LocalDateTime local = date.atTime(interval.opens());
         !local.plus(duration).isAfter(closes) && local.toLocalDate().equals(date);
         local = local.plus(duration)) {
      if (zone.getRules().getValidOffsets(local).isEmpty()) {
        continue;
      }
      ZonedDateTime start = ZonedDateTime.of(local, zone);
      if (!start.plus(duration).isAfter(interval.end())) {
        starts.add(start);
      }
    }
    return starts;
  }

  /** Whether {@code start} (at a point's zone) is one of the grid times of the day's open intervals. */
  public static boolean onGrid(OpeningCalendar.Day day, ZoneId zone, Duration duration, Instant start) {
    return day.intervals().stream()
        .flatMap(interval -> grid(day.date(), interval, zone, duration).stream())
        .anyMatch(s -> s.toInstant().equals(start));
  }

  private static boolean anyoneFree(List<Span> shifts, Map<UUID, TreeMap<Instant, Instant>> busy, Instant from,
                                    Instant to) {
    for (Span shift : shifts) {
      if (shift.covers(from, to) && !overlapsAny(busy.get(shift.staffId()), from, to)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One person's bookings never overlap, so ordered by start they are ordered by end too: only
   * the last one starting before {@code to} can overlap [from, to).
   */
  private static boolean overlapsAny(TreeMap<Instant, Instant> bookings, Instant from, Instant to) {
    if (bookings == null) {
      return false;
    }
    var last = bookings.lowerEntry(to);
    return last != null && last.getValue().isAfter(from);
  }

  private static Map<UUID, TreeMap<Instant, Instant>> byStaff(List<Span> bookings) {
    var byStaff = new HashMap<UUID, TreeMap<Instant, Instant>>();
    bookings.forEach(b -> byStaff.computeIfAbsent(b.staffId(), k -> new TreeMap<>()).put(b.start(), b.end()));
    return byStaff;
  }

}
