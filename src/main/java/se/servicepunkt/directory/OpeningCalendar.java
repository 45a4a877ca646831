package se.servicepunkt.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import se.servicepunkt.core.Times;

/**
 * When a service point is open, date by date, in its own time zone. An office follows its weekly
 * hours unless a dated exception replaces them; a mobile unit is open only at its stops (and an
 * exception that closes the date closes them too). Local clock times are kept as they are and
 * turned into instants with the offset in force that day: on the spring-forward date 01:00–04:00
 * lasts two hours, on the fall-back date four, and a clock time inside the skipped hour is
 * moved forward by the length of the gap (02:30 becomes 03:30). No I/O: everything it needs is passed in.
 */
public final class OpeningCalendar {
  /** One open interval of a day; {@code place}, {@code street}, {@code city} only for a mobile stop. */
  public record Interval(LocalTime opens, LocalTime closes, ZonedDateTime start, ZonedDateTime end,
                         String place, String street, String city) {
    /** Open at this instant: from the start, up to but not including the end. */
    public boolean contains(Instant instant) {
      return !instant.isBefore(start.toInstant()) && instant.isBefore(end.toInstant());
    }

    public LocalDate date() {
      return start.toLocalDate();
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("opens", Times.hhmm(opens))
          .put("closes", Times.hhmm(closes))
          .put("start", Times.iso(start))
          .put("end", Times.iso(end))
          .put("place", place)
          .put("street", street)
          .put("city", city);
    }
  }

  /** A local date, with the intervals it is open (none: closed) and an exception's reason. */
  public record Day(LocalDate date, String reason, List<Interval> intervals) {
    public boolean open() {
      return !intervals.isEmpty();
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("date", date.toString())
          .put("weekday", date.getDayOfWeek().getValue())
          .put("open", open())
          .put("reason", reason)
          .put("intervals", new JsonArray(intervals.stream().map(Interval::toJson).toList()));
    }
  }

  private final ZoneId zone;
  private final boolean mobile;
  private final Map<Integer, List<WeeklyHours>> week;
  private final Map<LocalDate, OpeningException> exceptions;
  private final Map<LocalDate, List<MobileStop>> stops;

  public OpeningCalendar(ZoneId zone, boolean mobile, List<WeeklyHours> week,
                         List<OpeningException> exceptions, List<MobileStop> stops) {
    this.zone = zone;
    this.mobile = mobile;
    this.week = week.stream().collect(Collectors.groupingBy(WeeklyHours::weekday));
    this.exceptions = exceptions.stream().collect(Collectors.toMap(OpeningException::date, Function.identity()));
    this.stops = stops.stream().collect(Collectors.groupingBy(MobileStop::date));
  }

  /** {@code count} consecutive days from {@code first}. */
  public List<Day> days(LocalDate first, int count) {
    var days = new ArrayList<Day>(count);
    for (int i = 0; i < count; i++) {
      days.add(day(first.plusDays(i)));
    }
    return days;
  }

  /** The interval open at {@code now} (the same test as taking a ticket), or null when closed. */
  public Interval openAt(Instant now) {
    for (Interval interval : day(LocalDate.ofInstant(now, zone)).intervals()) {
      if (interval.contains(now)) {
        return interval;
      }
    }
    return null;
  }

  /**
   * The intervals that have not ended at {@code now} (the one open now first, if any), in order,
   * at most {@code count}, looking no further than {@code last}: exceptions and stops after the
   * dates this calendar was made with are not known to it.
   */
  public List<Interval> upcoming(Instant now, LocalDate last, int count) {
    var found = new ArrayList<Interval>(count);
    for (LocalDate date = LocalDate.ofInstant(now, zone); !date.isAfter(last) && found.size() < count;
         date = date.plusDays(1)) {
      for (Interval interval : day(date).intervals()) {
        if (interval.end().toInstant().isAfter(now) && found.size() < count) {
          found.add(interval);
        }
      }
    }
    return found;
  }

  public Day day(LocalDate date) {
    OpeningException exception = exceptions.get(date);
    String reason = exception == null ? null : exception.reason();
    if (exception != null && exception.closed()) {
      return new Day(date, reason, List.of());
    }
    var intervals = new ArrayList<Interval>();
    if (mobile) {
      for (MobileStop stop : stops.getOrDefault(date, List.of())) {
        intervals.add(interval(date, stop.opens(), stop.closes(), stop.place(), stop.street(), stop.city()));
      }
    } else if (exception != null) {
      intervals.add(interval(date, exception.opens(), exception.closes(), null, null, null));
    } else {
      for (WeeklyHours hours : week.getOrDefault(date.getDayOfWeek().getValue(), List.of())) {
        intervals.add(interval(date, hours.opens(), hours.closes(), null, null, null));
      }
    }
    intervals.sort(Comparator.comparing(Interval::start));
    return new Day(date, reason, List.copyOf(intervals));
  }

  private Interval interval(LocalDate date, LocalTime opens, LocalTime closes, String place, String street, String city) {
    return new Interval(opens, closes, ZonedDateTime.of(date, opens, zone), ZonedDateTime.of(date, closes, zone),
        place, street, city);
  }
}
