package se.servicepunkt.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers of one run, per kind of request: when each was sent (since the run began), how long
 * it took and its status (-1 when no answer came). Reports percentiles and errors for the whole run
 * and for the steady part after the first minute.
 */
final class LoadRecorder {
  static final String[] KINDS = {"sign-in", "call-next", "start", "finish", "take a ticket", "availability", "booking"};
  private final long origin;
  private final Map<String, List<long[]>> samples = new ConcurrentHashMap<>();

  LoadRecorder(long origin) {
    this.origin = origin;
  }

  void record(String kind, long sentNanos, int status) {
    long now = System.nanoTime();
    var list = samples.computeIfAbsent(kind, k -> new ArrayList<>());
    synchronized (list) {
      list.add(new long[] {sentNanos - origin, now - sentNanos, status});
    }
  }

  String report(long steadyFromNanos) {
    var out = new StringBuilder();
    out.append(String.format("%-14s %-7s %8s %10s %10s %10s %10s  %s%n", "request", "part", "count", "p50 ms", "p95 ms",
        "p99 ms", "max ms", "errors (status: count; -1 = no answer)"));
    for (String kind : KINDS) {
      var list = samples.getOrDefault(kind, List.of());
      List<long[]> all;
      synchronized (list) {
        all = List.copyOf(list);
      }
      out.append(line(kind, "all", all));
      out.append(line(kind, "steady", all.stream().filter(s -> s[0] >= steadyFromNanos).toList()));
    }
    return out.toString();
  }

  private static String line(String kind, String part, List<long[]> list) {
    long[] nanos = list.stream().mapToLong(s -> s[1]).sorted().toArray();
    var errors = new TreeMap<Long, Integer>();
    long fives = 0;
    for (long[] s : list) {
      if (s[2] < 200 || s[2] >= 400) {
        errors.merge(s[2], 1, Integer::sum);
        fives += s[2] >= 500 || s[2] < 0 ? 1 : 0;
      }
    }
    return String.format("%-14s %-7s %8d %10.1f %10.1f %10.1f %10.1f  5xx/none %d (%.1f %%) %s%n", kind, part, nanos.length,
        ms(nanos, 0.5), ms(nanos, 0.95), ms(nanos, 0.99), ms(nanos, 1.0), fives,
        nanos.length == 0 ? 0.0 : 100.0 * fives / nanos.length, errors.isEmpty() ? "" : errors.toString());
  }

  static double ms(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("%d samples: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.length, ms(sorted, 0.5),
        ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 1.0));
  }
}
