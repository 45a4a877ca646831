package se.servicepunkt.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A few months of made-up history for the demo's offices, so that the statistics pages show
 * real-looking charts at once: visits (walk-in and booked, at the desk and by video) with their
 * waiting and service times, no-shows, people leaving the queue, bookings and cancellations, staff
 * minutes on duty, and unmet demand (searches without free times, tickets asked for after closing,
 * most of them on Saturdays and in the late afternoon). Written as the facts the statistics'
 * triggers and counter write (no ticket or booking rows, so nothing personal, not even made up),
 * added up per hour in one statement, then folded, after the seeding transaction (so a second
 * instance starting at once does not wait for it). Repeatable: the same day gives the same history.
 */
final class DemoHistory {
  static final int DAYS = 91;
  private static final UUID NIL = new UUID(0, 0);
  private static final String INSERT = """
      INSERT INTO stats_delta (service_point_id, organisation_id, service_id, channel, at, until, metric, bucket, n, total)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                           $7::text[], $8::smallint[], $9::int[], $10::bigint[])""";
  private static final String FOLD = "SELECT stats_fold()";

  /** An office's errand: where, whose, which channel, how many visitors an hour, how long it takes. */
  record Errand(UUID point, UUID service, String channel, double perHour, int minutes, double booked) {
  }

  /** An office's opening: its weekday hours (from, to) and its staff on duty per channel. */
  record Office(UUID point, UUID organisation, int opens, int closes, int staffDesk, int staffVideo) {
  }

  private final ZoneId zone;
  private final LocalDate today;
  private final Random random;
  private final Set<LocalDate> holidays;
  /** Facts of one key added up (the fold needs only the hour of a fact, so facts are kept per hour). */
  private record Key(UUID point, UUID organisation, UUID service, String channel, OffsetDateTime at,
                     OffsetDateTime until, String metric, int bucket) {
  }

  private final java.util.Map<Key, long[]> facts = new java.util.LinkedHashMap<>();

  DemoHistory(ZoneId zone, LocalDate today) {
    this.zone = zone;
    this.today = today;
    this.random = new Random(today.toEpochDay());
    this.holidays = SwedishHolidays.between(today.minusDays(DAYS), today).keySet();
  }

  private void fact(UUID point, UUID organisation, UUID service, String channel, OffsetDateTime at, OffsetDateTime until,
                    String metric, int bucket, int n, long total) {
    OffsetDateTime hour = until == null ? at.withMinute(0) : at;
    long[] sum = facts.computeIfAbsent(new Key(point, organisation, service, channel, hour, until, metric, bucket),
        k -> new long[2]);
    sum[0] += n;
    sum[1] += total;
  }

  private OffsetDateTime at(LocalDate day, int hour, int minute) {
    return day.atTime(hour, minute).atZone(zone).toOffsetDateTime();
  }

  private int poisson(double mean) {
    double limit = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }

  /** The history of one office and its errands over the last {@link #DAYS} days (yesterday the last). */
  DemoHistory office(Office office, List<Errand> errands) {
    for (LocalDate day = today.minusDays(DAYS); day.isBefore(today); day = day.plusDays(1)) {
      DayOfWeek weekday = day.getDayOfWeek();
      boolean open = weekday.getValue() <= 5 && !holidays.contains(day);
      if (open) {
        if (office.staffDesk() > 0) {
          fact(office.point(), office.organisation(), NIL, "desk", at(day, office.opens(), 0),
              at(day, office.closes(), 0), "shift_minutes", -1, office.staffDesk(), 0);
        }
        if (office.staffVideo() > 0) {
          fact(office.point(), office.organisation(), NIL, "video", at(day, office.opens(), 0),
              at(day, office.closes(), 0), "shift_minutes", -1, office.staffVideo(), 0);
        }
      }
      for (Errand errand : errands) {
        if (open) {
          for (int hour = office.opens(); hour < office.closes(); hour++) {
            // busier on Mondays and around lunch
            double busy = (weekday == DayOfWeek.MONDAY ? 1.4 : 1.0) * (hour >= 11 && hour < 14 ? 1.3 : 1.0);
            int visitors = poisson(errand.perHour() * busy);
            for (int v = 0; v < visitors; v++) {
              visit(office, errand, day, hour, busy);
            }
            // demand for the hour that found no free time
            int searches = poisson(errand.perHour() * 1.5);
            for (int s = 0; s < searches; s++) {
              int ahead = random.nextInt(7);
              OffsetDateTime when = at(day, hour, random.nextInt(60));
              fact(errand.point(), null, errand.service(), errand.channel(), when, null, "search", ahead, 1, 0);
              if (random.nextDouble() < (weekday == DayOfWeek.MONDAY ? 0.35 : 0.15)) {
                fact(errand.point(), null, errand.service(), errand.channel(), when, null, "search_empty", ahead, 1, 0);
              }
            }
          }
          // people who come after closing, and the demand in the evening
          for (int hour = office.closes(); hour < office.closes() + 3; hour++) {
            int refused = poisson(errand.perHour() * 0.4);
            for (int r = 0; r < refused; r++) {
              fact(errand.point(), null, errand.service(), errand.channel(), at(day, hour, random.nextInt(60)), null,
                  "desk".equals(errand.channel()) ? "refused_closed" : "search_empty", -1, 1, 0);
            }
          }
        } else if (weekday == DayOfWeek.SATURDAY) {
          for (int hour = 10; hour < 14; hour++) {
            int asked = poisson(errand.perHour() * 0.6);
            for (int a = 0; a < asked; a++) {
              fact(errand.point(), null, errand.service(), errand.channel(), at(day, hour, random.nextInt(60)), null,
                  "desk".equals(errand.channel()) ? "refused_closed" : "search_empty", -1, 1, 0);
            }
          }
        }
      }
    }
    return this;
  }

  private void visit(Office office, Errand errand, LocalDate day, int hour, double busy) {
    OffsetDateTime arrived = at(day, hour, random.nextInt(60));
    UUID point = errand.point();
    UUID service = errand.service();
    String channel = errand.channel();
    boolean booked = random.nextDouble() < errand.booked();
    if (booked) {
      int leadDays = random.nextInt(21);
      fact(point, null, service, channel, arrived, null, "booking_made", -1, 1, 0);
      fact(point, null, service, channel, arrived, null, "lead", Math.min(180, leadDays), 1,
          leadDays * 1440L + random.nextInt(600));
      fact(point, null, service, channel, arrived, arrived.plusMinutes(errand.minutes()), "booked_minutes", -1, 1, 0);
      double cancel = random.nextDouble();
      if (cancel < 0.06) {
        fact(point, null, service, channel, arrived, null, "cancelled_by_resident", -1, 1, 0);
        fact(point, null, service, channel, arrived, arrived.plusMinutes(errand.minutes()), "booked_minutes", -1, -1, 0);
        return;
      }
      if (cancel < 0.08) {
        fact(point, null, service, channel, arrived, null, "rescheduled", -1, 1, 0);
      }
      fact(point, null, service, channel, arrived, null, "booked", -1, 1, 0);
      if (random.nextDouble() < 0.07) {
        return; // booked, never came
      }
      fact(point, null, service, channel, arrived, null, "checked_in", -1, 1, 0);
    }
    double fate = random.nextDouble();
    if (!booked && fate < 0.03) {
      fact(point, null, service, channel, arrived, null, "left_queue", -1, 1, 0);
      return;
    }
    if (fate < 0.05) {
      fact(point, null, service, channel, arrived, null, "no_show_called", -1, 1, 0);
      return;
    }
    if (!booked && hour == office.closes() - 1 && fate < 0.15) {
      fact(point, null, service, channel, arrived, null, "unserved_at_closing", -1, 1, 0);
      return;
    }
    int waitSeconds = booked ? random.nextInt(6 * 60)
        : (int) Math.min(179 * 60, Math.abs(random.nextGaussian() * 8 + 9 * busy) * 60);
    int serviceSeconds = (int) Math.max(120, errand.minutes() * 60 * (0.6 + random.nextDouble() * 0.7));
    fact(point, null, service, channel, arrived, null, booked ? "served_booked" : "served_walk_in", -1, 1, 0);
    fact(point, null, service, channel, arrived, null, "wait", (int) Math.min(180, Math.ceil(waitSeconds / 60.0)), 1,
        waitSeconds);
    fact(point, null, service, channel, arrived, null, "service", (int) Math.min(180, Math.ceil(serviceSeconds / 60.0)), 1,
        serviceSeconds);
  }

  int size() {
    return facts.size();
  }

  /** Writes the facts in one statement and folds them. */
  Future<Void> insert(io.vertx.sqlclient.SqlClient db) {
    int size = facts.size();
    var points = new UUID[size];
    var organisations = new UUID[size];
    var services = new UUID[size];
    var channels = new String[size];
    var ats = new OffsetDateTime[size];
    var untils = new OffsetDateTime[size];
    var metrics = new String[size];
    var buckets = new Short[size];
    var ns = new Integer[size];
    var totals = new Long[size];
    int i = 0;
    for (var e : facts.entrySet()) {
      Key k = e.getKey();
      points[i] = k.point();
      organisations[i] = k.organisation();
      services[i] = k.service();
      channels[i] = k.channel();
      ats[i] = k.at();
      untils[i] = k.until();
      metrics[i] = k.metric();
      buckets[i] = (short) k.bucket();
      ns[i] = (int) e.getValue()[0];
      totals[i] = e.getValue()[1];
      i++;
    }
    Tuple args = Tuple.tuple().addArrayOfUUID(points).addArrayOfUUID(organisations).addArrayOfUUID(services)
        .addArrayOfString(channels).addArrayOfOffsetDateTime(ats).addArrayOfOffsetDateTime(untils)
        .addArrayOfString(metrics).addArrayOfShort(buckets).addArrayOfInteger(ns).addArrayOfLong(totals);
    return db.preparedQuery(INSERT).execute(args).compose(done -> db.query(FOLD).execute()).mapEmpty();
  }
}
