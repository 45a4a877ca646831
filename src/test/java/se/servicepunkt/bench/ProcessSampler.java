package se.servicepunkt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Samples the resident memory and CPU time of the processes under test from /proc: each named
 * group is a root process and all of its children (PostgreSQL's backends, nginx's workers), found
 * again at each sample so that a restarted process is followed by its pid file.
 */
final class ProcessSampler {
  private static final double TICKS = 100.0; // USER_HZ on Linux
  private final Map<String, Supplier<Long>> roots = new LinkedHashMap<>();
  private final Map<String, Long> lastTicks = new LinkedHashMap<>();
  private final List<String> lines = new ArrayList<>();
  private final Map<String, long[]> rssMinMax = new LinkedHashMap<>();
  private long lastAt;

  void add(String name, Supplier<Long> root) {
    roots.put(name, root);
  }

  static Supplier<Long> pidFile(Path file) {
    return () -> {
      try {
        return Long.parseLong(Files.readAllLines(file).get(0).trim());
      } catch (IOException | RuntimeException e) {
        return -1L;
      }
    };
  }

  synchronized void sample(double secondsSinceStart) {
    long now = System.nanoTime();
    List<long[]> all = processes();
    var row = new StringBuilder(String.format("%6.0f s", secondsSinceStart));
    for (var entry : roots.entrySet()) {
      long root = entry.getValue().get();
      long rssKb = 0;
      long pssKb = 0;
      long ticks = 0;
      int members = 0;
      for (long[] p : all) {
        if (root > 0 && (p[0] == root || p[1] == root)) {
          rssKb += p[2];
          pssKb += pss(p[0]);
          ticks += p[3];
          members++;
        }
      }
      Long before = lastTicks.put(entry.getKey(), ticks);
      double cpu = before == null || lastAt == 0 || ticks < before ? 0 : (ticks - before) / TICKS / ((now - lastAt) / 1e9);
      row.append(members > 1
          ? String.format(" | %s %5d MB (PSS %d MB, %d proc) %4.0f %%", entry.getKey(), rssKb / 1024, pssKb / 1024, members,
              cpu * 100)
          : String.format(" | %s %5d MB %4.0f %%", entry.getKey(), rssKb / 1024, cpu * 100));
      long[] mm = rssMinMax.computeIfAbsent(entry.getKey(), k -> new long[] {Long.MAX_VALUE, 0});
      if (rssKb > 0) {
        mm[0] = Math.min(mm[0], rssKb / 1024);
        mm[1] = Math.max(mm[1], rssKb / 1024);
      }
    }
    lastAt = now;
    lines.add(row.toString());
  }

  synchronized String report() {
    var out = new StringBuilder("RSS and CPU (one core = 100 %; a group of processes sums their RSS, which counts shared "
        + "memory once per process, and gives PSS too), sampled from /proc:\n");
    lines.forEach(l -> out.append(l).append('\n'));
    rssMinMax.forEach((k, v) -> out.append(String.format("RSS %s: min %d MB, max %d MB%n", k, v[0] == Long.MAX_VALUE ? 0 : v[0], v[1])));
    return out.toString();
  }

  /** The proportional set size: shared pages (PostgreSQL's shared buffers) divided among the processes sharing them. */
  private static long pss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** Every process as {pid, ppid, rss kB, utime+stime ticks}. */
  private static List<long[]> processes() {
    var result = new ArrayList<long[]>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // after the name: state(0) ppid(1) ... utime(11) stime(12) ... rss pages(21)
          result.add(new long[] {Long.parseLong(d.getFileName().toString()), Long.parseLong(f[1]),
              Long.parseLong(f[21]) * 4, Long.parseLong(f[11]) + Long.parseLong(f[12])});
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return result;
  }
}
