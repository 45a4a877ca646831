package se.servicepunkt.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What each staff console and reception screen received: snapshots (with the id of the last event
 * they include) and events, in the order they arrived, across reconnections. Compared at the end
 * with the {@code queue_event} table: after a snapshot at id S, a stream must receive exactly the
 * events after S that its kind shows, in order, each once; resuming with {@code Last-Event-ID}
 * continues the same sequence. A gap is an event missed; events after the last one a stream
 * received, when the streams are closed, are counted apart as not delivered yet (the harness
 * waits up to a minute for the streams to catch up).
 */
final class StreamLedger {
  private static final String EVENTS = """
      SELECT id, (data ? 'ticket' OR data ? 'counter') AS on_display FROM queue_event
      WHERE service_point_id = $1 ORDER BY id""";

  /** One stream's arrivals: a snapshot as -(id + 1), an event as its id. */
  static final class Entry {
    final boolean display;
    private final List<Long> arrivals = new ArrayList<>();

    Entry(boolean display) {
      this.display = display;
    }

    synchronized void snapshot(long id) {
      arrivals.add(-(id + 1));
    }

    synchronized void event(long id) {
      arrivals.add(id);
    }

    synchronized long last() {
      long last = -1;
      for (long a : arrivals) {
        last = a < 0 ? -a - 1 : a;
      }
      return last;
    }

    synchronized List<Long> copy() {
      return List.copyOf(arrivals);
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  synchronized Entry add(boolean display) {
    var entry = new Entry(display);
    entries.add(entry);
    return entry;
  }

  /** The highest id among the table's events shown to staff and to screens. */
  static long[] lastShown(Pool db, String point) {
    long staff = 0;
    long display = 0;
    for (Row row : db.preparedQuery(EVENTS).execute(Tuple.of(UUID.fromString(point))).await()) {
      staff = row.getLong(0);
      display = row.getBoolean(1) ? row.getLong(0) : display;
    }
    return new long[] {staff, display};
  }

  /** Whether every stream has received the last event it shows. */
  synchronized boolean caughtUp(long[] lastShown) {
    return entries.stream().allMatch(e -> e.last() >= lastShown[e.display ? 1 : 0]);
  }

  /** Checks every stream against the table; returns a one-line verdict with the counts. */
  synchronized String check(Pool db, String point) {
    var staffIds = new TreeSet<Long>();
    var displayIds = new TreeSet<Long>();
    for (Row row : db.preparedQuery(EVENTS).execute(Tuple.of(UUID.fromString(point))).await()) {
      staffIds.add(row.getLong(0));
      if (row.getBoolean(1)) {
        displayIds.add(row.getLong(0));
      }
    }
    long missed = 0;
    long behind = 0;
    long repeated = 0;
    long received = 0;
    long snapshots = 0;
    int streamsWithFaults = 0;
    for (Entry entry : entries) {
      TreeSet<Long> shown = entry.display ? displayIds : staffIds;
      long cursor = -1;
      long before = missed + repeated;
      for (long a : entry.copy()) {
        if (a < 0) {
          cursor = -a - 1;
          snapshots++;
          continue;
        }
        received++;
        if (cursor < 0 || a <= cursor) {
          repeated++; // an event before any snapshot, or one already covered
          continue;
        }
        missed += shown.subSet(cursor, false, a, false).size();
        cursor = a;
      }
      if (cursor >= 0) {
        behind += shown.tailSet(cursor, false).size(); // not delivered yet when the streams were closed
      }
      streamsWithFaults += missed + repeated > before ? 1 : 0;
    }
    return String.format("%d streams, %d snapshots and %d events received, %d events in the table (%d shown on screens): "
            + "%d missed, %d repeated (%d streams affected); %d events not delivered yet when the streams were closed%s",
        entries.size(), snapshots, received, staffIds.size(), displayIds.size(), missed, repeated, streamsWithFaults, behind,
        missed == 0 && repeated == 0 ? (behind == 0 ? " OK" : " OK so far, STILL BEHIND") : " FAILED");
  }
}
