package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import se.servicepunkt.directory.MobileStop;
import se.servicepunkt.directory.OpeningCalendar;
import se.servicepunkt.directory.OpeningException;
import se.servicepunkt.directory.WeeklyHours;

/** Free slots in Europe/Stockholm: ordinary, closed and evening days, mobile stops, and the DST nights. */
class SlotsTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final UUID ANNA = UUID.randomUUID();
  static final UUID BO = UUID.randomUUID();
  static final Duration HOUR = Duration.ofHours(1);
  static final Duration HALF_HOUR = Duration.ofMinutes(30);

  static List<Slots.Slot> free(OpeningCalendar calendar, LocalDate date, Duration duration, List<Slots.Span> shifts,
                               List<Slots.Span> bookings) {
    return Slots.free(calendar.days(date, 1), STOCKHOLM, duration, shifts, bookings, Instant.EPOCH, Instant.MAX);
  }

  static Slots.Span span(UUID who, LocalDate date, String from, String to) {
    return new Slots.Span(who, ZonedDateTime.of(date, LocalTime.parse(from), STOCKHOLM).toInstant(),
        ZonedDateTime.of(date, LocalTime.parse(to), STOCKHOLM).toInstant());
  }

  static List<String> times(List<Slots.Slot> slots) {
    return slots.stream().map(s -> s.start().toLocalTime() + s.start().getOffset().getId()).toList();
  }

  @Test
  void anOrdinaryDayHasASlotEveryDurationWhereSomeoneIsFree() {
    LocalDate monday = LocalDate.parse("2026-11-23");
    var calendar = new OpeningCalendar(STOCKHOLM, false, List.of(new WeeklyHours(1, LocalTime.of(9, 0), LocalTime.of(12, 0))),
        List.of(), List.of());
    var shifts = List.of(span(ANNA, monday, "09:00", "12:00"), span(BO, monday, "10:00", "12:00"));
    var bookings = List.of(span(ANNA, monday, "09:00", "10:00"), span(ANNA, monday, "10:30", "11:00"),
        span(BO, monday, "10:30", "11:00"));
    assertEquals(List.of("10:00+01:00", "11:00+01:00", "11:30+01:00"),
        times(free(calendar, monday, HALF_HOUR, shifts, bookings)),
        "09:00 and 09:30 are Anna's booking, 10:30 both are busy");
  }

  @Test
  void aClosedDayHasNoSlotsAndAnEveningOpeningHasLateOnes() {
    LocalDate thursday = LocalDate.parse("2026-12-24");
    var week = List.of(new WeeklyHours(4, LocalTime.of(9, 0), LocalTime.of(19, 0)));
    var shifts = List.of(span(ANNA, thursday, "09:00", "19:00"));
    var closed = new OpeningCalendar(STOCKHOLM, false, week,
        List.of(new OpeningException(null, thursday, true, null, null, "Julafton")), List.of());
    assertTrue(free(closed, thursday, HOUR, shifts, List.of()).isEmpty());
    var evening = new OpeningCalendar(STOCKHOLM, false, week, List.of(), List.of());
    var slots = times(free(evening, thursday, HOUR, shifts, List.of()));
    assertEquals(10, slots.size());
    assertEquals("18:00+01:00", slots.get(9), "the last slot ends at the evening closing time");
  }

  @Test
  void aMobileUnitHasSlotsOnlyAtItsStops() {
    LocalDate tuesday = LocalDate.parse("2026-11-24");
    var calendar = new OpeningCalendar(STOCKHOLM, true, List.of(new WeeklyHours(2, LocalTime.of(8, 0), LocalTime.of(17, 0))),
        List.of(), List.of(
            new MobileStop(null, tuesday, LocalTime.of(9, 30), LocalTime.of(11, 30), "Burgsvik", null, "Burgsvik"),
            new MobileStop(null, tuesday, LocalTime.of(13, 0), LocalTime.of(14, 0), "Havdhem", null, "Havdhem")));
    var shifts = List.of(span(ANNA, tuesday, "08:00", "17:00"));
    assertEquals(List.of("09:30+01:00", "10:00+01:00", "10:30+01:00", "11:00+01:00", "13:00+01:00", "13:30+01:00"),
        times(free(calendar, tuesday, HALF_HOUR, shifts, List.of())));
  }

  @Test
  void theSkippedHourInMarchHasNoSlot() {
    for (LocalDate sunday : List.of(LocalDate.parse("2026-03-29"), LocalDate.parse("2027-03-28"))) {
      var calendar = new OpeningCalendar(STOCKHOLM, false, List.of(new WeeklyHours(7, LocalTime.of(1, 0), LocalTime.of(5, 0))),
          List.of(), List.of());
      var shifts = List.of(span(ANNA, sunday, "00:00", "06:00"));
      assertEquals(List.of("01:00+01:00", "03:00+02:00", "04:00+02:00"), times(free(calendar, sunday, HOUR, shifts, List.of())),
          sunday + ": no slot at 02:00, which does not exist");
    }
  }

  @Test
  void theRepeatedHourInOctoberHasOneSlotNotTwo() {
    for (LocalDate sunday : List.of(LocalDate.parse("2026-10-25"), LocalDate.parse("2027-10-31"))) {
      var calendar = new OpeningCalendar(STOCKHOLM, false, List.of(new WeeklyHours(7, LocalTime.of(1, 0), LocalTime.of(5, 0))),
          List.of(), List.of());
      var shifts = List.of(span(ANNA, sunday, "00:00", "06:00"));
      var slots = free(calendar, sunday, HALF_HOUR, shifts, List.of());
      assertEquals(List.of("01:00+02:00", "01:30+02:00", "02:00+02:00", "02:30+02:00", "03:00+01:00", "03:30+01:00",
          "04:00+01:00", "04:30+01:00"), times(slots), sunday + ": 02:00 and 02:30 once each");
      assertEquals(slots.size(), slots.stream().map(s -> s.start().toInstant()).distinct().count());
    }
  }

  @Test
  void ordinaryDaysAroundTheChangesKeepTheirLocalTimes() {
    for (String date : List.of("2026-03-30", "2026-10-26", "2027-03-29", "2027-11-01")) {
      LocalDate monday = LocalDate.parse(date);
      var calendar = new OpeningCalendar(STOCKHOLM, false, List.of(new WeeklyHours(1, LocalTime.of(9, 0), LocalTime.of(11, 0))),
          List.of(), List.of());
      var slots = free(calendar, monday, HOUR, List.of(span(ANNA, monday, "08:00", "17:00")), List.of());
      assertEquals(List.of(LocalTime.of(9, 0), LocalTime.of(10, 0)), slots.stream().map(s -> s.start().toLocalTime()).toList());
      assertEquals(STOCKHOLM.getRules().getOffset(slots.get(0).start().toInstant()), slots.get(0).start().getOffset());
    }
  }

  @Test
  void backToBackShiftsOfOnePersonAreOneStretchOfTime() {
    LocalDate monday = LocalDate.parse("2026-11-23");
    var calendar = new OpeningCalendar(STOCKHOLM, false, List.of(new WeeklyHours(1, LocalTime.of(10, 30), LocalTime.of(14, 0))),
        List.of(), List.of());
    Duration minutes35 = Duration.ofMinutes(35);
    var everySlot = List.of("10:30+01:00", "11:05+01:00", "11:40+01:00", "12:15+01:00", "12:50+01:00", "13:25+01:00");
    var twoHalves = List.of(span(ANNA, monday, "00:00", "12:00"),
        new Slots.Span(ANNA, span(ANNA, monday, "12:00", "12:00").start(), span(ANNA, monday.plusDays(1), "00:00", "00:00").start()));
    assertEquals(everySlot, times(free(calendar, monday, minutes35, twoHalves, List.of())),
        "11:40-12:15 crosses from one shift into the next");
    var threeInARow = List.of(span(ANNA, monday, "12:00", "13:00"), span(ANNA, monday, "00:00", "11:50"),
        span(ANNA, monday, "11:50", "12:00"), span(ANNA, monday, "13:00", "23:00"));
    assertEquals(everySlot, times(free(calendar, monday, minutes35, threeInARow, List.of())), "in any order");
    var overlapping = List.of(span(ANNA, monday, "00:00", "12:10"), span(ANNA, monday, "11:50", "23:00"),
        span(ANNA, monday, "10:00", "11:00"));
    assertEquals(everySlot, times(free(calendar, monday, minutes35, overlapping, List.of())),
        "overlapping shifts (which the database does not allow) would be one stretch too");

    var withAGap = List.of(span(ANNA, monday, "00:00", "12:00"), span(ANNA, monday, "12:05", "23:00"));
    assertEquals(List.of("10:30+01:00", "11:05+01:00", "12:15+01:00", "12:50+01:00", "13:25+01:00"),
        times(free(calendar, monday, minutes35, withAGap, List.of())), "a break of five minutes is not worked");
    var twoPeople = List.of(span(ANNA, monday, "00:00", "12:00"), span(BO, monday, "12:00", "23:00"));
    assertEquals(List.of("10:30+01:00", "11:05+01:00", "12:15+01:00", "12:50+01:00", "13:25+01:00"),
        times(free(calendar, monday, minutes35, twoPeople, List.of())), "one person's morning and another's afternoon");
    var busyAfterNoon = List.of(span(ANNA, monday, "12:00", "12:10"));
    assertEquals(List.of("10:30+01:00", "11:05+01:00", "12:15+01:00", "12:50+01:00", "13:25+01:00"),
        times(free(calendar, monday, minutes35, twoHalves, busyAfterNoon)), "a booking still takes its time");
  }

  @Test
  void noticeAndHorizonBoundTheSlots() {
    LocalDate monday = LocalDate.parse("2026-11-23");
    var calendar = new OpeningCalendar(STOCKHOLM, false, List.of(new WeeklyHours(1, LocalTime.of(9, 0), LocalTime.of(12, 0))),
        List.of(), List.of());
    var shifts = List.of(span(ANNA, monday, "09:00", "12:00"));
    Instant earliest = ZonedDateTime.of(monday, LocalTime.of(10, 0), STOCKHOLM).toInstant();
    Instant latest = ZonedDateTime.of(monday, LocalTime.of(11, 0), STOCKHOLM).toInstant();
    var slots = Slots.free(calendar.days(monday, 1), STOCKHOLM, HOUR, shifts, List.of(), earliest, latest);
    assertEquals(List.of("10:00+01:00"), times(slots));
  }
}
