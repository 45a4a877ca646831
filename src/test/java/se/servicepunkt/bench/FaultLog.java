package se.servicepunkt.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults of a run and how the system came back from each: the first call-next answered with
 * success and the first event on a reception screen after the fault, and how many streams dropped
 * and when the last of them had its first frame again.
 */
final class FaultLog {
  private static final class Fault {
    final String name;
    final long at;
    long firstCall = -1;
    long firstScreen = -1;
    int dropped;
    int reconnected;
    long lastReconnect = -1;
    String note = "";

    Fault(String name, long at) {
      this.name = name;
      this.at = at;
    }
  }

  private final long origin;
  private final List<Fault> faults = new ArrayList<>();

  FaultLog(long origin) {
    this.origin = origin;
  }

  synchronized void fault(String name) {
    faults.add(new Fault(name, System.nanoTime()));
    System.out.printf("fault at %.0f s: %s%n", (System.nanoTime() - origin) / 1e9, name);
  }

  synchronized void note(String text) {
    if (!faults.isEmpty()) {
      faults.get(faults.size() - 1).note += text;
    }
  }

  synchronized void callAnswered(long sent, long now) {
    for (Fault f : faults) {
      if (f.firstCall < 0 && sent >= f.at) {
        f.firstCall = now;
      }
    }
  }

  synchronized void screenEvent(long now) {
    for (Fault f : faults) {
      if (f.firstScreen < 0 && now >= f.at) {
        f.firstScreen = now;
      }
    }
  }

  synchronized void dropped(long now) {
    if (!faults.isEmpty() && now >= current().at) {
      current().dropped++;
    }
  }

  synchronized void reconnected(long now) {
    if (!faults.isEmpty() && now >= current().at) {
      current().reconnected++;
      current().lastReconnect = now;
    }
  }

  private Fault current() {
    return faults.get(faults.size() - 1);
  }

  synchronized String report() {
    if (faults.isEmpty()) {
      return "";
    }
    var out = new StringBuilder("Faults (recovery measured from the moment each was done):\n");
    for (Fault f : faults) {
      out.append(String.format("  at %5.0f s  %-28s first call-next ok after %s, first screen event after %s; "
              + "streams dropped %d, reconnected %d (last after %s)%s%n", (f.at - origin) / 1e9, f.name,
          after(f, f.firstCall), after(f, f.firstScreen), f.dropped, f.reconnected, after(f, f.lastReconnect), f.note));
    }
    return out.toString();
  }

  private static String after(Fault f, long t) {
    return t < 0 ? "never" : String.format("%.2f s", (t - f.at) / 1e9);
  }
}
