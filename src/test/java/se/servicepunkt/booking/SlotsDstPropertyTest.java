package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import se.servicepunkt.directory.OpeningCalendar;
import se.servicepunkt.directory.WeeklyHours;

/**
 * Slot generation around every change of the clocks in Europe/Stockholm from 2025 to 2030, for
 * any opening hours of the night, service duration, shifts and bookings: every slot is a real
 * instant, the slots are ordered and distinct, none starts at a clock time of the skipped spring
 * hour, each clock time of the repeated autumn hour is offered once (at its first occurrence, as
 * availability defines it), each slot lasts the service's duration in real time, and the slots
 * are exactly the grid times that fit the opening hours, the worked time and the bookings.
 */
class SlotsDstPropertyTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final UUID ANNA = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  static final List<ZoneOffsetTransition> CHANGES = changes(2025, 2030);

  /** Every change of the zone's clocks in these years, as the zone's rules give them. */
  static List<ZoneOffsetTransition> changes(int firstYear, int lastYear) {
    var rules = STOCKHOLM.getRules();
    Instant end = LocalDate.of(lastYear + 1, 1, 1).atStartOfDay(STOCKHOLM).toInstant();
    var changes = new ArrayList<ZoneOffsetTransition>();
    for (var t = rules.nextTransition(LocalDate.of(firstYear, 1, 1).atStartOfDay(STOCKHOLM).toInstant());
         t != null && t.getInstant().isBefore(end); t = rules.nextTransition(t.getInstant())) {
      changes.add(t);
    }
    return changes;
  }

  /**
   * One night's set-up, in minutes: the office opens {@code opens} after midnight (local clock)
   * and closes {@code length} minutes of clock time later; Anna's time from an hour before
   * midnight for twelve hours is cut at {@code cuts} into back-to-back pieces, each worked or not;
   * she has bookings at {@code bookings} (start, length) minutes from that hour before midnight.
   */
  record Night(int opens, int length, int duration, List<Integer> cuts, List<Boolean> worked,
               List<List<Integer>> bookings) {
  }

  @Provide
  Arbitrary<Night> nights() {
    var minutes = Arbitraries.integers().between(5, 715);
    var booking = Combinators.combine(Arbitraries.integers().between(0, 700), Arbitraries.integers().between(5, 120))
        .as(List::of);
    return Combinators.combine(Arbitraries.integers().between(0, 300), Arbitraries.integers().between(30, 480),
            Arbitraries.integers().between(5, 240), minutes.list().ofMaxSize(5),
            Arbitraries.integers().between(0, 3).map(i -> i > 0).list().ofSize(6), booking.list().ofMaxSize(3))
        .as(Night::new);
  }

  @Example
  void theZoneChangesItsClocksTwiceAYearFrom2025To2030() {
    assertEquals(12, CHANGES.size());
    assertEquals(LocalDateTime.parse("2025-03-30T02:00"), CHANGES.get(0).getDateTimeBefore());
    assertEquals(LocalDateTime.parse("2030-10-27T03:00"), CHANGES.get(11).getDateTimeBefore());
    for (int i = 0; i < CHANGES.size(); i++) {
      assertEquals(i % 2 == 0, CHANGES.get(i).isGap(), CHANGES.get(i).toString());
    }
  }

  @Property(tries = 300)
  void slotsAroundEveryChangeOfTheClocks(@ForAll("nights") Night night) {
    for (ZoneOffsetTransition change : CHANGES) {
      check(change, night);
    }
  }

  static void check(ZoneOffsetTransition change, Night night) {
    var rules = STOCKHOLM.getRules();
    LocalDate date = change.getDateTimeBefore().toLocalDate();
    LocalTime opens = LocalTime.MIDNIGHT.plusMinutes(night.opens());
    LocalTime closes = opens.plusMinutes(Math.min(night.length(), 24 * 60 - 1 - night.opens()));
    Duration duration = Duration.ofMinutes(night.duration());
    var calendar = new OpeningCalendar(STOCKHOLM, false,
        List.of(new WeeklyHours(date.getDayOfWeek().getValue(), opens, closes)), List.of(), List.of());
    Instant base = date.atStartOfDay(STOCKHOLM).toInstant().minus(Duration.ofHours(1));
    var shifts = shifts(night, base);
    var bookings = bookings(night, base);
    String what = change + ", " + night;

    var slots = Slots.free(calendar.days(date, 1), STOCKHOLM, duration, shifts, bookings, Instant.EPOCH, Instant.MAX);

    Instant previous = null;
    var clockTimes = new HashSet<LocalDateTime>();
    for (Slots.Slot slot : slots) {
      ZonedDateTime start = slot.start();
      LocalDateTime local = start.toLocalDateTime();
      assertEquals(STOCKHOLM, start.getZone(), what);
      assertTrue(rules.isValidOffset(local, start.getOffset()), what + ": " + start + " is a real instant");
      assertEquals(start, start.toInstant().atZone(STOCKHOLM), what + ": " + start + " is written as it is seen there");
      assertTrue(previous == null || previous.isBefore(start.toInstant()), what + ": ordered and distinct at " + start);
      previous = start.toInstant();
      assertTrue(clockTimes.add(local), what + ": the clock time " + local + " once");
      assertEquals(duration, Duration.between(start.toInstant(), slot.end().toInstant()), what + ": " + slot);
      assertEquals(slot.end(), slot.end().toInstant().atZone(STOCKHOLM), what + ": " + slot);
      if (change.isGap()) {
        assertTrue(local.isBefore(change.getDateTimeBefore()) || !local.isBefore(change.getDateTimeAfter()),
            what + ": " + start + " is not in the skipped hour");
      } else if (!local.isBefore(change.getDateTimeAfter()) && local.isBefore(change.getDateTimeBefore())) {
        assertEquals(change.getOffsetBefore(), start.getOffset(), what + ": " + start + " at its first occurrence");
      }
    }
    assertEquals(expected(date, opens, closes, duration, shifts, bookings), new TreeSet<>(clockTimes), what);
  }

  /**
   * The clock times that should be offered, worked out the slow way: every grid time (opening
   * plus whole durations of clock time) that exists on the clock, taken at its first occurrence,
   * whose slot ends by the closing clock time and by the closing instant, with Anna at work every
   * minute of it and no booking of hers in it.
   */
  static TreeSet<LocalDateTime> expected(LocalDate date, LocalTime opens, LocalTime closes, Duration duration,
                                         List<Slots.Span> shifts, List<Slots.Span> bookings) {
    var rules = STOCKHOLM.getRules();
    var times = new TreeSet<LocalDateTime>();
    Instant closing = ZonedDateTime.of(date, closes, STOCKHOLM).toInstant();
    for (LocalDateTime t = date.atTime(opens); !t.plus(duration).isAfter(date.atTime(closes)); t = t.plus(duration)) {
      var offsets = rules.getValidOffsets(t);
      if (offsets.isEmpty()) {
        continue;
      }
      Instant from = t.toInstant(offsets.get(0));
      Instant to = from.plus(duration);
      boolean worked = true;
      for (Instant m = from; m.isBefore(to); m = m.plus(Duration.ofMinutes(1))) {
        Instant minute = m;
        worked &= shifts.stream().anyMatch(s -> !s.start().isAfter(minute) && s.end().isAfter(minute));
      }
      boolean booked = bookings.stream().anyMatch(b -> b.start().isBefore(to) && b.end().isAfter(from));
      if (!to.isAfter(closing) && worked && !booked) {
        times.add(t);
      }
    }
    return times;
  }

  static List<Slots.Span> shifts(Night night, Instant base) {
    var points = new TreeSet<>(night.cuts());
    points.add(0);
    points.add(720);
    var list = new ArrayList<>(points);
    var shifts = new ArrayList<Slots.Span>();
    for (int i = 0; i + 1 < list.size(); i++) {
      if (night.worked().get(i)) {
        shifts.add(new Slots.Span(ANNA, base.plus(Duration.ofMinutes(list.get(i))), base.plus(Duration.ofMinutes(list.get(i + 1)))));
      }
    }
    return shifts;
  }

  /** Her bookings, leaving out any that would overlap an earlier one (the database does not allow that). */
  static List<Slots.Span> bookings(Night night, Instant base) {
    var bookings = new ArrayList<Slots.Span>();
    for (List<Integer> b : night.bookings()) {
      var span = new Slots.Span(ANNA, base.plus(Duration.ofMinutes(b.get(0))), base.plus(Duration.ofMinutes(b.get(0) + b.get(1))));
      if (bookings.stream().noneMatch(o -> o.start().isBefore(span.end()) && o.end().isAfter(span.start()))) {
        bookings.add(span);
      }
    }
    return bookings;
  }
}
