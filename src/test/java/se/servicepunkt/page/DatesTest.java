package se.servicepunkt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Dates and times as residents read them: 24-hour clock, Swedish "kl. 10.30", English "at 10:30". */
class DatesTest {
  private static final ZonedDateTime TUESDAY = ZonedDateTime.of(2026, 3, 3, 10, 30, 0, 0, ZoneId.of("Europe/Stockholm"));

  @Test
  void swedish() {
    assertEquals("tisdag 3 mars kl. 10.30", Dates.dateTime(TUESDAY, Lang.SV));
    assertEquals("09.05", Dates.time(LocalTime.of(9, 5), Lang.SV));
    assertEquals("tisdag 3 mars kl. 10.00–14.00", Dates.dateTimeRange(TUESDAY.toLocalDate(), LocalTime.of(10, 0),
        LocalTime.of(14, 0), Lang.SV));
    assertEquals("tisdag 3 mars 2026 kl. 10.30–11.00", Dates.dateWithYearTimeRange(TUESDAY.toLocalDate(),
        LocalTime.of(10, 30), LocalTime.of(11, 0), Lang.SV));
    assertEquals("30 november 2026", Dates.day(LocalDate.of(2026, 11, 30), Lang.SV));
  }

  @Test
  void english() {
    assertEquals("Tuesday 3 March at 10:30", Dates.dateTime(TUESDAY, Lang.EN));
    assertEquals("21:45", Dates.time(LocalTime.of(21, 45), Lang.EN));
    assertEquals("Tuesday 3 March, 10:00–14:00", Dates.dateTimeRange(TUESDAY.toLocalDate(), LocalTime.of(10, 0),
        LocalTime.of(14, 0), Lang.EN));
  }
}
