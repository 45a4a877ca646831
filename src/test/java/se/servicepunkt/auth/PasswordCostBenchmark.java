package se.servicepunkt.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one sign-in costs at each bcrypt cost: the CPU time and wall time of one verification (what
 * a sign-in runs), the median of several repetitions after a warm-up, on one thread. Not a test;
 * run it with
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=se.servicepunkt.auth.PasswordCostBenchmark -Dexec.args="9 12 15"}
 * (lowest cost, highest cost, repetitions).
 */
public final class PasswordCostBenchmark {
  private PasswordCostBenchmark() {
  }

  public static void main(String[] args) {
    int from = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    int to = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[] password = "correct-horse-battery-staple".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5; i++) { // warm-up: let the JIT compile bcrypt's inner loop
      BCrypt.verifyer().verify(password, BCrypt.withDefaults().hash(10, password));
    }
    System.out.printf("%-5s %14s %14s %14s %14s%n", "cost", "cpu median ms", "cpu min ms", "cpu max ms", "wall median ms");
    for (int cost = from; cost <= to; cost++) {
      byte[] hash = BCrypt.withDefaults().hash(cost, password);
      List<Double> cpu = new ArrayList<>();
      List<Double> wall = new ArrayList<>();
      for (int r = 0; r < repetitions; r++) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        if (!BCrypt.verifyer().verify(password, hash).verified) {
          throw new IllegalStateException("bcrypt did not verify its own hash");
        }
        wall.add((System.nanoTime() - wall0) / 1e6);
        cpu.add((threads.getCurrentThreadCpuTime() - cpu0) / 1e6);
      }
      Collections.sort(cpu);
      Collections.sort(wall);
      System.out.printf("%-5d %14.1f %14.1f %14.1f %14.1f%n", cost, median(cpu), cpu.get(0), cpu.get(cpu.size() - 1),
          median(wall));
    }
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
