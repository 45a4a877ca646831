package se.servicepunkt.stats;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import se.servicepunkt.core.Demand;

/**
 * Unmet demand counted in memory (a striped counter per point, service, channel, local hour and
 * kind; no address, no identifier), written to the kept figures by {@link #flush} every few seconds
 * with one statement. A search costs a map look-up and an increment, so availability keeps its
 * speed; what is counted in the seconds before an instance stops is lost, which a count can afford.
 */
public final class DemandCounter implements Demand {
  private static final UUID NIL = new UUID(0, 0);
  private static final String ADD = """
      INSERT INTO stats_cell AS c (service_point_id, day, hour, organisation_id, service_id, channel, metric, bucket, n)
      SELECT k.point, h.day, h.hour, s.organisation_id, k.service, k.channel, k.metric, k.bucket, sum(k.n)
      FROM unnest($1::uuid[], $2::date[], $3::smallint[], $4::uuid[], $5::text[], $6::text[], $7::smallint[], $8::bigint[])
           AS k (point, day, hour, service, channel, metric, bucket, n)
      JOIN service s ON s.id = k.service
      CROSS JOIN LATERAL (VALUES (k.day, k.hour), (k.day, -1::smallint), (date_trunc('month', k.day)::date, -2::smallint))
           AS h (day, hour)
      GROUP BY k.point, h.day, h.hour, s.organisation_id, k.service, k.channel, k.metric, k.bucket
      ORDER BY k.point, h.day, h.hour, s.organisation_id, k.service, k.channel, k.metric, k.bucket
      ON CONFLICT (service_point_id, day, hour, organisation_id, service_id, channel, metric, bucket)
      DO UPDATE SET n = c.n + EXCLUDED.n""";

  private record Key(UUID point, LocalDate day, int hour, UUID service, String channel, String metric, int bucket) {
  }

  private final Clock clock;
  private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();

  public DemandCounter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void count(String what, UUID point, ZoneId zone, UUID service, String channel, int bucket) {
    if (point == null || service == null || channel == null) {
      return;
    }
    LocalDateTime local = LocalDateTime.ofInstant(clock.instant(), zone);
    var key = new Key(point, local.toLocalDate(), local.getHour(), service, channel, what,
        bucket < 0 ? -1 : Math.min(180, bucket));
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  /** Writes what was counted since the last flush; counts that fail to be written are kept for the next one. */
  public Future<Integer> flush(SqlClient db) {
    if (counts.isEmpty()) {
      return Future.succeededFuture(0);
    }
    var taken = new ArrayList<Map.Entry<Key, Long>>();
    for (Key key : List.copyOf(counts.keySet())) {
      LongAdder adder = counts.remove(key);
      if (adder != null && adder.sum() != 0) {
        taken.add(Map.entry(key, adder.sum()));
      }
    }
    if (taken.isEmpty()) {
      return Future.succeededFuture(0);
    }
    int size = taken.size();
    UUID[] points = new UUID[size];
    LocalDate[] days = new LocalDate[size];
    Short[] hours = new Short[size];
    UUID[] services = new UUID[size];
    String[] channels = new String[size];
    String[] metrics = new String[size];
    Short[] buckets = new Short[size];
    Long[] ns = new Long[size];
    for (int i = 0; i < size; i++) {
      Key k = taken.get(i).getKey();
      points[i] = k.point();
      days[i] = k.day();
      hours[i] = (short) k.hour();
      services[i] = k.service() == null ? NIL : k.service();
      channels[i] = k.channel();
      metrics[i] = k.metric();
      buckets[i] = (short) k.bucket();
      ns[i] = taken.get(i).getValue();
    }
    Tuple args = Tuple.tuple().addArrayOfUUID(points).addArrayOfLocalDate(days).addArrayOfShort(hours)
        .addArrayOfUUID(services).addArrayOfString(channels).addArrayOfString(metrics).addArrayOfShort(buckets)
        .addArrayOfLong(ns);
    return db.preparedQuery(ADD).execute(args).map(size).recover(failure -> {
      taken.forEach(e -> counts.computeIfAbsent(e.getKey(), k -> new LongAdder()).add(e.getValue()));
      return Future.failedFuture(failure);
    });
  }
}
