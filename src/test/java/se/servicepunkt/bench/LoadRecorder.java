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

  /**
   * After a drop of the load at {@code dropNanos}: per {@code windowSeconds} window from a minute
   * before it to the end, the answers (sign-ins aside), their p95, the refusals (503 and 429) and
   * other errors; how fast refusals were answered over the whole run; and the first window after
   * the drop from which no request was refused or failed.
   */
  String recovery(long dropNanos, int windowSeconds) {
    var all = new ArrayList<long[]>();
    for (String kind : KINDS) {
      if (!"sign-in".equals(kind)) {
        var list = samples.getOrDefault(kind, List.of());
        synchronized (list) {
          all.addAll(list);
        }
      }
    }
    long window = windowSeconds * 1_000_000_000L;
    long last = all.stream().mapToLong(s -> s[0]).max().orElse(dropNanos);
    var out = new StringBuilder(String.format("Recovery after the load dropped at %.0f s (answers sent in each %d-s window; "
        + "sign-ins aside):%n  %9s %8s %10s %10s %10s %10s%n", dropNanos / 1e9, windowSeconds, "window", "answers", "p95 ms",
        "refused", "refused p99", "other 5xx"));
    long clean = -1;
    for (long from = dropNanos - 6 * window; from <= last; from += window) {
      long start = from;
      var in = all.stream().filter(s -> s[0] >= start && s[0] < start + window).toList();
      long[] nanos = in.stream().mapToLong(s -> s[1]).sorted().toArray();
      long[] refusals = in.stream().filter(s -> s[2] == 503 || s[2] == 429).mapToLong(s -> s[1]).sorted().toArray();
      long other = in.stream().filter(s -> (s[2] >= 500 && s[2] != 503) || s[2] < 0).count();
      boolean ok = refusals.length == 0 && other == 0;
      if (start >= dropNanos && ok && clean < 0) {
        clean = start;
      } else if (!ok && start >= dropNanos) {
        clean = -1;
      }
      out.append(String.format("  %+7.0f s %8d %10.1f %10d %10.1f %10d%n", (start - dropNanos) / 1e9, nanos.length,
          ms(nanos, 0.95), refusals.length, ms(refusals, 0.99), other));
    }
    long[] refused = all.stream().filter(s -> s[2] == 503 || s[2] == 429).mapToLong(s -> s[1]).sorted().toArray();
    long[] longest = all.stream().filter(s -> s[2] > 0).mapToLong(s -> s[1]).sorted().toArray();
    out.append(String.format("  refusals over the whole run: %d, answered in p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
            + "the longest answer of any kind took %.1f ms%n", refused.length, ms(refused, 0.5), ms(refused, 0.99),
        ms(refused, 1.0), ms(longest, 1.0)));
    out.append(clean < 0 ? "  requests were still refused or failing in the last window\n"
        : String.format("  no request refused or failed from the window starting %.0f s after the drop on%n",
            (clean - dropNanos) / 1e9));
    return out.toString();
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
