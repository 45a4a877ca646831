package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening days in Europe/Stockholm, across the daylight-saving changes of 2026 and 2027. */
class OpeningCalendarTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalTime NINE = LocalTime.of(9, 0);
  static final LocalTime FOUR_PM = LocalTime.of(16, 0);

  /** Open every day of the week 09:00–16:00, and Thursday evenings until 19:00. */
  static List<WeeklyHours> everyDay() {
    var week = new java.util.ArrayList<WeeklyHours>();
    for (int d = 1; d <= 7; d++) {
      week.add(new WeeklyHours(d, NINE, d == 4 ? LocalTime.of(19, 0) : FOUR_PM));
    }
    return week;
  }

  @ParameterizedTest(name = "{0}: the day before is {1}, the change day and after are {2}")
  @CsvSource({
      "2026-03-29, +01:00, +02:00",   // spring forward 2026
      "2026-10-25, +02:00, +01:00",   // fall back 2026
      "2027-03-28, +01:00, +02:00",   // spring forward 2027
      "2027-10-31, +02:00, +01:00"})  // fall back 2027
  void localHoursStayAndOffsetsFollowTheChange(LocalDate change, String before, String after) {
    var calendar = new OpeningCalendar(STOCKHOLM, false, everyDay(), List.of(), List.of());
    var days = calendar.days(change.minusDays(1), 3);
    assertEquals(3, days.size());
    for (int i = 0; i < 3; i++) {
      var interval = days.get(i).intervals().get(0);
      assertEquals(NINE, interval.start().toLocalTime());
      assertEquals(FOUR_PM, interval.end().toLocalTime());
      assertEquals(ZoneOffset.of(i == 0 ? before : after), interval.start().getOffset());
      assertEquals(Duration.ofHours(7), Duration.between(interval.start(), interval.end()), "09–16 is 7 hours every day");
    }
  }

  @Test
  void anIntervalAcrossTheNightChangeIsShorterInSpringAndLongerInAutumn() {
    var night = List.of(new WeeklyHours(7, LocalTime.of(1, 0), LocalTime.of(4, 0)));
    var calendar = new OpeningCalendar(STOCKHOLM, false, night, List.of(), List.of());
    assertEquals(Duration.ofHours(2), length(calendar, LocalDate.parse("2026-03-29")));
    assertEquals(Duration.ofHours(4), length(calendar, LocalDate.parse("2026-10-25")));
    assertEquals(Duration.ofHours(2), length(calendar, LocalDate.parse("2027-03-28")));
    assertEquals(Duration.ofHours(4), length(calendar, LocalDate.parse("2027-10-31")));
    assertEquals(Duration.ofHours(3), length(calendar, LocalDate.parse("2026-11-01")), "an ordinary Sunday");
  }

  @Test
  void aClockTimeInsideTheSkippedHourMovesForwardByTheGap() {
    var week = List.of(new WeeklyHours(7, LocalTime.of(2, 30), LocalTime.of(5, 0)));
    var interval = new OpeningCalendar(STOCKHOLM, false, week, List.of(), List.of())
        .day(LocalDate.parse("2026-03-29")).intervals().get(0);
    assertEquals(LocalTime.of(3, 30), interval.start().toLocalTime());
    assertEquals(ZoneOffset.ofHours(2), interval.start().getOffset());
    assertEquals("02:30", interval.toJson().getString("opens"), "the published clock time is the one configured");
  }

  @Test
  void exceptionsCloseAHolidayAndReplaceHoursOnADate() {
    LocalDate christmasEve = LocalDate.parse("2026-12-24");
    LocalDate longDay = LocalDate.parse("2026-12-23");
    var calendar = new OpeningCalendar(STOCKHOLM, false, everyDay(), List.of(
        new OpeningException(null, christmasEve, true, null, null, "Julafton"),
        new OpeningException(null, longDay, false, LocalTime.of(8, 0), LocalTime.of(20, 0), "Extra kvällsöppet")),
        List.of());
    var closed = calendar.day(christmasEve);
    assertFalse(closed.open());
    assertEquals("Julafton", closed.reason());
    var evening = calendar.day(longDay);
    assertEquals(1, evening.intervals().size());
    assertEquals(LocalTime.of(20, 0), evening.intervals().get(0).end().toLocalTime());
    assertEquals("2026-12-23T20:00:00+01:00", evening.intervals().get(0).toJson().getString("end"));
    assertEquals(LocalTime.of(19, 0), calendar.day(LocalDate.parse("2026-12-17")).intervals().get(0).closes(),
        "Thursday evening opening");
  }

  @Test
  void aMobileUnitIsOpenOnlyAtItsStops() {
    LocalDate stopDay = LocalDate.parse("2026-10-25");
    var stops = List.of(
        new MobileStop(null, stopDay, LocalTime.of(13, 0), LocalTime.of(15, 0), "Havdhem", "Skolvägen 2", "Havdhem"),
        new MobileStop(null, stopDay, LocalTime.of(9, 30), LocalTime.of(11, 30), "Burgsvik", null, "Burgsvik"));
    var calendar = new OpeningCalendar(STOCKHOLM, true, everyDay(), List.of(), stops);
    var day = calendar.day(stopDay);
    assertEquals(List.of("Burgsvik", "Havdhem"), day.intervals().stream().map(OpeningCalendar.Interval::place).toList());
    assertEquals("2026-10-25T09:30:00+01:00", day.intervals().get(0).toJson().getString("start"));
    assertFalse(calendar.day(stopDay.plusDays(1)).open(), "weekly hours do not open a mobile unit");
    var cancelled = new OpeningCalendar(STOCKHOLM, true, List.of(),
        List.of(new OpeningException(null, stopDay, true, null, null, "Storm")), stops);
    assertFalse(cancelled.day(stopDay).open());
    assertTrue(calendar.days(stopDay, 7).get(0).open());
  }

  private static Duration length(OpeningCalendar calendar, LocalDate date) {
    var interval = calendar.day(date).intervals().get(0);
    return Duration.between(interval.start(), interval.end());
  }
}
