package se.servicepunkt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Times' own ISO writer writes exactly what the JDK's ISO_OFFSET_DATE_TIME writes. */
class TimesTest {
  @Test
  void writesWhatTheJdksFormatterWritesForAnyTimeFractionAndOffset() {
    var random = new SplittableRandom(20261130);
    int[] nanos = {0, 1, 10, 100_000, 120_000_000, 123_000_000, 123_456_000, 123_456_789, 999_999_999, 5_000};
    ZoneOffset[] offsets = {ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-3, -30),
        ZoneOffset.ofHoursMinutes(5, 45), ZoneOffset.ofTotalSeconds(3_723)};
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(-2_000_000_000L, 253_402_300_799L); // 1906 … 9999-12-31
      int nano = i < nanos.length * offsets.length ? nanos[i % nanos.length] : random.nextInt(1_000_000_000);
      if (random.nextInt(4) == 0) {
        nano = nano / 1000 * 1000; // microseconds, as PostgreSQL stores them
      }
      var offset = offsets[i % offsets.length];
      var time = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(second, nano), offset);
      assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time), Times.iso(time), time::toString);
    }
    var stockholm = ZonedDateTime.of(2026, 3, 29, 3, 0, 0, 250_000_000, ZoneId.of("Europe/Stockholm"));
    assertEquals("2026-03-29T03:00:00.25+02:00", Times.iso(stockholm));
  }
}
