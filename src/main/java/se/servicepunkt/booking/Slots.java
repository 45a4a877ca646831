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
    var busy = new HashMap<UUID, Timeline>();
    byStaff(bookings).forEach((staff, own) -> busy.put(staff, Timeline.of(own)));
    return free(days, zone, duration, shifts, busy, earliest, latest);
  }

  /** As above, with each person's bookings already as a timeline. */
  static List<Slot> free(List<OpeningCalendar.Day> days, ZoneId zone, Duration duration, List<Span> shifts,
                         Map<UUID, Timeline> busy, Instant earliest, Instant latest) {
    var people = people(shifts, busy);
    long first = earliest.toEpochMilli();
    long last = latest.equals(Instant.MAX) ? Long.MAX_VALUE : latest.toEpochMilli();
    var slots = new ArrayList<Slot>();
    for (OpeningCalendar.Day day : days) {
      for (OpeningCalendar.Interval interval : day.intervals()) {
        for (ZonedDateTime start : grid(day.date(), interval, zone, duration)) {
          long from = start.toInstant().toEpochMilli();
          long to = from + duration.toMillis();
          if (from >= first && from < last && anyoneFree(people, from, to)) {
            slots.add(new Slot(start, start.plus(duration)));
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

  /** One person's shifts and bookings. */
  private record Person(Timeline shifts, Timeline busy) {
    boolean free(long from, long to) {
      return shifts.covers(from, to) && !busy.overlaps(from, to);
    }
  }

  private static boolean anyoneFree(List<Person> people, long from, long to) {
    for (Person person : people) {
      if (person.free(from, to)) {
        return true;
      }
    }
    return false;
  }

  private static List<Person> people(List<Span> shifts, Map<UUID, Timeline> busy) {
    var people = new ArrayList<Person>();
    byStaff(shifts).forEach((staff, own) -> people.add(
        new Person(Timeline.of(own), busy.getOrDefault(staff, Timeline.EMPTY))));
    return people;
  }

  private static Map<UUID, List<Span>> byStaff(List<Span> spans) {
    var byStaff = new HashMap<UUID, List<Span>>();
    spans.forEach(s -> byStaff.computeIfAbsent(s.staffId(), k -> new ArrayList<>()).add(s));
    return byStaff;
  }

  /**
   * One person's shifts or bookings as sorted epoch milliseconds, spans that meet or overlap
   * joined into one: back-to-back shifts (00:00-12:00 and 12:00-24:00) are one stretch of work,
   * and a slot across 12:00 lies inside it. Sorting the starts and the ends each on its own keeps
   * the time the spans cover (at every instant, as many have started as have not yet ended), so
   * the joined spans are the union whatever the input; neither shifts nor bookings of one person
   * overlap (both are exclusion constraints), and then it pairs each start with its own end. After
   * joining, spans are apart and ordered, and one binary search answers each question.
   */
  record Timeline(long[] starts, long[] ends) {
    static final Timeline EMPTY = new Timeline(new long[0], new long[0]);

    static Timeline of(List<Span> spans) {
      long[] starts = new long[spans.size()];
      long[] ends = new long[spans.size()];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = spans.get(i).start().toEpochMilli();
        ends[i] = spans.get(i).end().toEpochMilli();
      }
      return sorted(starts, ends);
    }

    static Timeline ofSeconds(Long[] startSeconds, Long[] endSeconds) {
      long[] starts = new long[startSeconds.length];
      long[] ends = new long[endSeconds.length];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = startSeconds[i] * 1000;
        ends[i] = endSeconds[i] * 1000;
      }
      return sorted(starts, ends);
    }

    private static Timeline sorted(long[] starts, long[] ends) {
      java.util.Arrays.sort(starts);
      java.util.Arrays.sort(ends);
      return joined(starts, ends);
    }

    /** Joins each span into the one before it when it starts before or as that one ends; in place. */
    private static Timeline joined(long[] starts, long[] ends) {
      int n = 0;
      for (int i = 0; i < starts.length; i++) {
        if (n > 0 && starts[i] <= ends[n - 1]) {
          ends[n - 1] = ends[i];
        } else {
          starts[n] = starts[i];
          ends[n] = ends[i];
          n++;
        }
      }
      return n == starts.length ? new Timeline(starts, ends)
          : new Timeline(java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n));
    }

    /** Whether [from, to) lies inside the spans: inside one, as they are joined. */
    boolean covers(long from, long to) {
      int i = lastStartingBefore(from + 1);
      return i >= 0 && ends[i] >= to;
    }

    /** Whether some span overlaps [from, to): only the last one starting before {@code to} can. */
    boolean overlaps(long from, long to) {
      int i = lastStartingBefore(to);
      return i >= 0 && ends[i] > from;
    }

    private int lastStartingBefore(long t) {
      int i = java.util.Arrays.binarySearch(starts, t);
      return (i >= 0 ? i : -i - 1) - 1;
    }
  }
}
