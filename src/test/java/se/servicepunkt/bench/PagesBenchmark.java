package se.servicepunkt.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code users} residents at once, each asking for a page {@code think-ms} after the last one came
 * (0: at once, a closed loop that finds the server's capacity), for {@code seconds}: half the requests the start page, half a day's list of times at
 * Hemse (the booking flow's time question). Reports per page the answers per second and p50, p95
 * and p99 of the answer time, measured on loopback, and every answer that was not 200.
 */
public final class PagesBenchmark {
  /** How long each user waits between an answer and their next request (0: at once). */
  private static int thinkMillis;
  private static Vertx timers;

  private PagesBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int port = Integer.parseInt(o.get("port"));
    int users = Integer.parseInt(o.getOrDefault("users", "50"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
    thinkMillis = Integer.parseInt(o.getOrDefault("think-ms", "0"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    timers = vertx;
    var db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(o.get("db"))).using(vertx).build();
    var ids = db.query("""
        SELECT p.id AS point, s.id AS service FROM service_point p JOIN service_offering o ON o.service_point_id = p.id
        JOIN service s ON s.id = o.service_id WHERE p.name = 'Hemse servicepunkt' AND s.name_sv = 'Regional informationsdisk'""")
        .execute().await().iterator().next();
    var client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(users));
    String point = ids.getUUID("point").toString();
    String service = ids.getUUID("service").toString();
    String day = firstDayWithTimes(client, point, service);
    String times = "/boka/tid?servicepunkt=" + point + "&tjanst=" + service + "&kanal=desk&dag=" + day;
    System.out.printf("%d users for %d s, %d ms between an answer and the next request; the start page and %s%n",
        users, seconds, thinkMillis, times);

    // warm-up: 5 s, not counted
    run(client, users, 5, "/", times, new Stats(), new Stats());
    var start = new Stats();
    var list = new Stats();
    run(client, users, seconds, "/", times, start, list);
    System.out.println(start.report("start page /", seconds));
    System.out.println(list.report("a day's times", seconds));
    vertx.close().await();
  }

  private static String firstDayWithTimes(io.vertx.core.http.HttpClient client, String point, String service) {
    LocalDate from = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(1);
    var body = client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/v1/availability?servicePoint="
            + point + "&service=" + service + "&channel=desk&from=" + from + "&to=" + from.plusDays(13)))
        .compose(r -> r.send().compose(resp -> resp.body())).await().toJsonObject();
    return body.getJsonArray("slots").getJsonObject(0).getString("date");
  }

  /** Closed-loop users, alternating the two pages, until the time is up. */
  private static void run(io.vertx.core.http.HttpClient client, int users, int seconds, String a, String b,
                          Stats first, Stats second) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<Void>> done = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      loop(client, u % 2 == 0, a, b, first, second, end, finished);
    }
    Future.join(done).await();
  }

  private static void loop(io.vertx.core.http.HttpClient client, boolean firstPage, String a, String b, Stats first,
                           Stats second, long end, Promise<Void> finished) {
    if (System.nanoTime() > end) {
      finished.complete();
      return;
    }
    long sent = System.nanoTime();
    Stats stats = firstPage ? first : second;
    client.request(HttpMethod.GET, firstPage ? a : b)
        .compose(r -> r.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
        .onComplete(result -> {
          stats.add(System.nanoTime() - sent, result.succeeded() ? result.result() : -1);
          if (thinkMillis > 0) {
            timers.setTimer(thinkMillis, t -> loop(client, !firstPage, a, b, first, second, end, finished));
          } else {
            loop(client, !firstPage, a, b, first, second, end, finished);
          }
        });
  }

  private static final class Stats {
    private final List<Long> nanos = new ArrayList<>();
    private final Map<Integer, AtomicInteger> statuses = new HashMap<>();

    synchronized void add(long took, int status) {
      nanos.add(took);
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    synchronized String report(String what, int seconds) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return String.format("%-16s %7d answers (%.0f/s)  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  statuses %s",
          what, sorted.length, sorted.length / (double) seconds, LoadRecorder.ms(sorted, 0.5), LoadRecorder.ms(sorted, 0.95),
          LoadRecorder.ms(sorted, 0.99), LoadRecorder.ms(sorted, 1.0), statuses);
    }
  }
}
