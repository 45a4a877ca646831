package se.servicepunkt.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sweden's public holidays and the eves that offices close on, for the demo's closed days.
 * Easter by the anonymous Gregorian computus.
 */
final class SwedishHolidays {
  private SwedishHolidays() {
  }

  /** Closed days from {@code from} to {@code to} inclusive, with their Swedish names, in date order. */
  static Map<LocalDate, String> between(LocalDate from, LocalDate to) {
    var days = new TreeMap<LocalDate, String>();
    for (int year = from.getYear(); year <= to.getYear(); year++) {
      of(year).forEach((date, name) -> {
        if (!date.isBefore(from) && !date.isAfter(to)) {
          days.put(date, name);
        }
      });
    }
    return days;
  }

  static Map<LocalDate, String> of(int year) {
    var days = new TreeMap<LocalDate, String>();
    for (var fixed : List.of(
        Map.entry(MonthDay.of(1, 1), "Nyårsdagen"),
        Map.entry(MonthDay.of(1, 6), "Trettondedag jul"),
        Map.entry(MonthDay.of(5, 1), "Första maj"),
        Map.entry(MonthDay.of(6, 6), "Sveriges nationaldag"),
        Map.entry(MonthDay.of(12, 24), "Julafton"),
        Map.entry(MonthDay.of(12, 25), "Juldagen"),
        Map.entry(MonthDay.of(12, 26), "Annandag jul"),
        Map.entry(MonthDay.of(12, 31), "Nyårsafton"))) {
      days.put(fixed.getKey().atYear(year), fixed.getValue());
    }
    LocalDate easter = easterSunday(year);
    days.put(easter.minusDays(2), "Långfredagen");
    days.put(easter.plusDays(1), "Annandag påsk");
    days.put(easter.plusDays(39), "Kristi himmelsfärdsdag");
    days.put(LocalDate.of(year, 6, 19).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY)), "Midsommarafton");
    days.put(LocalDate.of(year, 10, 30).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY)), "Dag före alla helgons dag");
    return days;
  }

  static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate.of(year, month, day);
  }

}
