package se.servicepunkt.stats;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The indicators of one group of kept figures (see the README's "Statistics" for each one's
 * definition): counts added up, and the distributions of waiting, service and lead times from
 * their buckets (a percentile is the nearest rank: the smallest bucket that holds at least that
 * share of the values).
 */
final class Figures {
  /** The indicators, in the order the JSON and CSV give them. */
  static final java.util.List<String> NAMES = java.util.List.of(
      "visits", "visitsWalkIn", "visitsBooked",
      "waitMedianMinutes", "waitP90Minutes", "waitMeanMinutes", "waitWithinTargetShare",
      "serviceMedianMinutes", "serviceP90Minutes", "serviceMeanMinutes",
      "noShowsCalled", "noShowsBooked", "unservedAtClosing", "leftQueue",
      "bookingsMade", "bookingsActive", "bookingsCancelledByResident", "bookingsCancelledByStaff",
      "bookingsCancelledOnErasure", "bookingsCancelledOther", "bookingsRescheduled",
      "leadTimeMedianDays", "leadTimeMeanDays",
      "shiftMinutes", "bookedMinutes", "servedMinutes", "utilisation", "bookedShare",
      "searches", "searchesWithoutResult", "slotsLost", "refusedClosed", "unmetDemand");

  private final Map<String, long[]> sums = new HashMap<>();
  private final Map<String, TreeMap<Integer, Long>> buckets = new HashMap<>();
  private long within;

  /** Adds one row of the grouped query: a metric's bucket, its count and total, and the waits within target. */
  void add(String metric, int bucket, long n, long total, long withinTarget) {
    long[] sum = sums.computeIfAbsent(metric, m -> new long[2]);
    sum[0] += n;
    sum[1] += total;
    if (bucket >= 0) {
      buckets.computeIfAbsent(metric, m -> new TreeMap<>()).merge(bucket, n, Long::sum);
    }
    within += withinTarget;
  }

  private long n(String metric) {
    long[] sum = sums.get(metric);
    return sum == null ? 0 : sum[0];
  }

  private long total(String metric) {
    long[] sum = sums.get(metric);
    return sum == null ? 0 : sum[1];
  }

  /** The bucket holding the value of rank ceil(p × count), or null when there are no values. */
  Integer percentile(String metric, double p) {
    TreeMap<Integer, Long> hist = buckets.get(metric);
    long count = hist == null ? 0 : hist.values().stream().mapToLong(Long::longValue).sum();
    if (count <= 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(p * count - 1e-9));
    long seen = 0;
    for (var e : hist.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return e.getKey();
      }
    }
    return hist.lastKey();
  }

  private static BigDecimal ratio(long numerator, long denominator, int scale) {
    return denominator <= 0 ? null
        : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), scale, RoundingMode.HALF_UP);
  }

  /** The indicators; a figure that has nothing to be computed from (a median of no visits) is null. */
  Map<String, Object> indicators() {
    var out = new java.util.LinkedHashMap<String, Object>();
    long walkIn = n("served_walk_in");
    long booked = n("served_booked");
    out.put("visits", walkIn + booked);
    out.put("visitsWalkIn", walkIn);
    out.put("visitsBooked", booked);
    out.put("waitMedianMinutes", percentile("wait", 0.5));
    out.put("waitP90Minutes", percentile("wait", 0.9));
    out.put("waitMeanMinutes", ratio(total("wait"), n("wait") * 60, 1));
    out.put("waitWithinTargetShare", ratio(within, n("wait"), 3));
    out.put("serviceMedianMinutes", percentile("service", 0.5));
    out.put("serviceP90Minutes", percentile("service", 0.9));
    out.put("serviceMeanMinutes", ratio(total("service"), n("service") * 60, 1));
    out.put("noShowsCalled", n("no_show_called"));
    out.put("noShowsBooked", Math.max(0, n("past_booked") - n("past_checked_in")));
    out.put("unservedAtClosing", n("unserved_at_closing"));
    out.put("leftQueue", n("left_queue"));
    out.put("bookingsMade", n("booking_made"));
    out.put("bookingsActive", n("booked") + n("past_booked"));
    out.put("bookingsCancelledByResident", n("cancelled_by_resident"));
    out.put("bookingsCancelledByStaff", n("cancelled_by_staff"));
    out.put("bookingsCancelledOnErasure", n("cancelled_by_erasure"));
    out.put("bookingsCancelledOther", n("cancelled_by_unknown"));
    out.put("bookingsRescheduled", n("rescheduled"));
    out.put("leadTimeMedianDays", percentile("lead", 0.5));
    out.put("leadTimeMeanDays", ratio(total("lead"), n("lead") * 1440, 1));
    long shift = total("shift_minutes");
    long bookedMinutes = total("booked_minutes");
    long served = Math.round(total("service") / 60.0);
    out.put("shiftMinutes", shift);
    out.put("bookedMinutes", bookedMinutes);
    out.put("servedMinutes", served);
    out.put("utilisation", ratio(served, shift, 3));
    out.put("bookedShare", ratio(bookedMinutes, shift, 3));
    long empty = n("search_empty");
    long lost = n("slot_lost");
    long refused = n("refused_closed");
    out.put("searches", n("search"));
    out.put("searchesWithoutResult", empty);
    out.put("slotsLost", lost);
    out.put("refusedClosed", refused);
    out.put("unmetDemand", empty + lost + refused);
    return out;
  }

  void into(JsonObject row) {
    indicators().forEach((name, value) -> row.put(name, value instanceof BigDecimal d ? d.doubleValue() : value));
  }
}
