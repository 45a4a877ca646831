package se.servicepunkt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API requests' times as nginx logged them ({@code timing.log}: method, path, status,
 * {@code $request_time}, {@code $upstream_response_time}, {@code $msec}), per kind of request, in a
 * window of the run. The client's own figures include the time its event loops took to notice an
 * answer; these are the proxy's and the instance's share alone.
 */
final class NginxTimings {
  private static final Map<String, Pattern> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("sign-in", Pattern.compile("POST /api/v1/auth/login"));
    KINDS.put("call-next", Pattern.compile("POST /api/v1/counters/[^/]+/call-next"));
    KINDS.put("start", Pattern.compile("POST /api/v1/tickets/[^/]+/start"));
    KINDS.put("finish", Pattern.compile("POST /api/v1/tickets/[^/]+/finish"));
    KINDS.put("take a ticket", Pattern.compile("POST /api/v1/service-points/[^/]+/tickets"));
    KINDS.put("availability", Pattern.compile("GET /api/v1/availability"));
    KINDS.put("booking", Pattern.compile("POST /api/v1/bookings"));
  }

  private NginxTimings() {
  }

  /** One logged API request: method and path, status, nginx's whole time and the instance's (µs; -1 for none). */
  private record Entry(String request, int status, long total, long upstream) {
    boolean refused() {
      return status == 503 || status == 429;
    }
  }

  /** The log's requests in the window. */
  private static List<Entry> entries(Path log, long fromMillis, long toMillis) throws IOException {
    var entries = new ArrayList<Entry>();
    try (var lines = Files.lines(log)) {
      lines.forEach(line -> {
        String[] f = line.split(" ");
        if (f.length < 6) {
          return;
        }
        long at = (long) (Double.parseDouble(f[5]) * 1000);
        if (at >= fromMillis && at <= toMillis) {
          entries.add(new Entry(f[0] + " " + f[1], Integer.parseInt(f[2]), micros(f[3]), micros(f[4])));
        }
      });
    }
    return entries;
  }

  static String report(Path log, long fromMillis, long toMillis) {
    if (!Files.exists(log)) {
      return "";
    }
    List<Entry> entries;
    try {
      entries = entries(log, fromMillis, toMillis);
    } catch (IOException e) {
      return "nginx's timing log could not be read: " + e.getMessage() + "\n";
    }
    Map<String, List<Entry>> byKind = new LinkedHashMap<>();
    KINDS.keySet().forEach(k -> byKind.put(k, new ArrayList<>()));
    for (Entry entry : entries) {
      for (var kind : KINDS.entrySet()) {
        if (kind.getValue().matcher(entry.request()).matches()) {
          byKind.get(kind.getKey()).add(entry);
          break;
        }
      }
    }
    var out = new StringBuilder("As nginx saw them, steady part (request: nginx's whole time; upstream: the instance's):\n");
    out.append(refusals(entries));
    out.append(String.format("%-14s %8s %10s %10s %10s %12s %12s %12s %8s%n", "request", "count", "p50 ms", "p95 ms",
        "p99 ms", "upstr. p50", "upstr. p95", "upstr. p99", "5xx"));
    byKind.forEach((kind, list) -> {
      long[] total = list.stream().mapToLong(Entry::total).sorted().toArray();
      long[] upstream = list.stream().mapToLong(Entry::upstream).filter(v -> v >= 0).sorted().toArray();
      long fives = list.stream().filter(e -> e.status() >= 500).count();
      out.append(String.format("%-14s %8d %10.1f %10.1f %10.1f %12.1f %12.1f %12.1f %8d%n", kind, total.length,
          q(total, 0.5), q(total, 0.95), q(total, 0.99), q(upstream, 0.5), q(upstream, 0.95), q(upstream, 0.99), fives));
    });
    return out.toString();
  }

  /**
   * The refusals (503 and 429) of every API request in the window as nginx timed them: those nginx
   * made itself (its connection limit; no upstream) and those an instance made; the client's own
   * times add its event loops' lateness to these.
   */
  static String refusals(Path log, long fromMillis, long toMillis) {
    if (!Files.exists(log)) {
      return "";
    }
    try {
      return refusals(entries(log, fromMillis, toMillis));
    } catch (IOException e) {
      return "nginx's timing log could not be read: " + e.getMessage() + "\n";
    }
  }

  private static String refusals(List<Entry> entries) {
    long[] nginx = entries.stream().filter(e -> e.refused() && e.upstream() < 0).mapToLong(Entry::total).sorted().toArray();
    long[] instance = entries.stream().filter(e -> e.refused() && e.upstream() >= 0).mapToLong(Entry::total).sorted().toArray();
    long[] all = entries.stream().filter(Entry::refused).mapToLong(Entry::total).sorted().toArray();
    return String.format("refusals at nginx: %d by nginx (p99 %.1f ms), %d by an instance (p50 %.1f, p95 %.1f, p99 %.1f ms);"
            + " all: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f ms%n", nginx.length, q(nginx, 0.99), instance.length,
        q(instance, 0.5), q(instance, 0.95), q(instance, 0.99), q(all, 0.5), q(all, 0.95), q(all, 0.99), q(all, 1.0));
  }

  /** nginx writes seconds with milliseconds ("0.012"), or "-" when no upstream answered. */
  private static long micros(String seconds) {
    if (seconds.equals("-")) {
      return -1;
    }
    String last = seconds.contains(",") ? seconds.substring(seconds.lastIndexOf(',') + 1).trim() : seconds;
    return (long) (Double.parseDouble(last) * 1_000_000);
  }

  private static double q(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
  }
}
