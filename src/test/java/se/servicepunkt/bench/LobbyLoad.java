package se.servicepunkt.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The people of the scenario, all on the client's event loops: staff consoles (sign in in the
 * first minute, open the counter and the staff stream, then call-next → start → finish with
 * about 30 s per visit), reception screens, walk-ins who take a ticket and follow it on their
 * stream until they are served, and residents who search for free times and book. Requests are
 * open-loop (sent at their rate whatever the answers take) and timed from the moment they were due.
 */
final class LobbyLoad {
  private static final Pattern NUMBER = Pattern.compile("\"number\":\"([A-Z][0-9]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z-]+)\"");
  private static final long SECOND = 1_000_000_000L;
  private static final long TIMEOUT_MS = 120_000;

  /** The scenario's sizes at scale 1: 200 staff, 50 screens, 2,000 walk-ins in the first minute then 10/s, 20 searches and 2 bookings a second. */
  record Rates(int staff, int displays, double firstMinuteTickets, double ticketsPerSecond, double searchesPerSecond,
               double bookingsPerSecond) {
    static Rates scaled(double scale) {
      return new Rates((int) Math.max(1, Math.round(200 * scale)), (int) Math.max(1, Math.round(50 * scale)), 2000 * scale,
          10 * scale, 20 * scale, 2 * scale);
    }
  }

  private final Vertx vertx;
  private final WebClient api;
  private final HttpClient streams;
  private final LobbySetup.Lobby lobby;
  private final Rates rates;
  private final LoadRecorder recorder;
  private final StreamLedger ledger;
  private final FaultLog faults;
  private final long origin;
  private volatile boolean running = true;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<SseFeed> feeds = new ArrayList<>();
  private final List<SseFeed> ticketFeeds = new ArrayList<>();
  /** The first minute is the morning rush (sign-ins, the first walk-ins); the steady figures start after it. */
  static final long STEADY_AFTER_NANOS = 60_000_000_000L;
  private final Map<String, Long> callSent = new ConcurrentHashMap<>();
  /** When the answer to each call reached the client: the part of call → screen after the call's own request. */
  private final Map<String, Long> callAnswered = new ConcurrentHashMap<>();
  /** Per ticket id: when its call-next was sent, and when its visitor's own stream first said "called". */
  private final Map<String, Long> callSentById = new ConcurrentHashMap<>();
  private final Map<String, Long> calledAtVisitor = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Object[]> screenArrivals = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> firstSnapshot = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> steadySnapshot = new ConcurrentLinkedQueue<>();
  private final AtomicLong ticketStreamsOpen = new AtomicLong();
  private final AtomicLong ticketStreamsMax = new AtomicLong();
  private final Map<Integer, Integer> streamRefusals = new ConcurrentHashMap<>();
  private final AtomicLong bookings = new AtomicLong();
  private final AtomicInteger signedIn = new AtomicInteger();
  private final AtomicInteger countersOpen = new AtomicInteger();
  private final List<Long> timers = new ArrayList<>();
  /** The share of the load still applied (1 until {@link #drop}): open-loop rates and staff at work. */
  private volatile double share = 1;
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();

  LobbyLoad(Vertx vertx, WebClient api, HttpClient streams, LobbySetup.Lobby lobby, Rates rates, LoadRecorder recorder,
            StreamLedger ledger, FaultLog faults, long origin) {
    this.vertx = vertx;
    this.api = api;
    this.streams = streams;
    this.lobby = lobby;
    this.rates = rates;
    this.recorder = recorder;
    this.ledger = ledger;
    this.faults = faults;
    this.origin = origin;
  }

  void start() {
    for (int i = 0; i < rates.displays(); i++) {
      String token = lobby.displayTokens().get(i);
      var entry = ledger.add(true);
      feed("/api/v1/service-points/" + lobby.lobby() + "/display/events?token=" + token, null, (feed, id, event, data, at) -> {
        if ("snapshot".equals(event)) {
          entry.snapshot(id);
          return;
        }
        if (id < 0) {
          return; // a named heartbeat (no id): not an event of the point
        }
        entry.event(id);
        faults.screenEvent(at);
        if ("ticket-called".equals(event)) {
          Matcher m = NUMBER.matcher(data);
          if (m.find()) {
            screenArrivals.add(new Object[] {m.group(1), at});
          }
        }
      }, feeds);
    }
    for (int i = 0; i < rates.staff(); i++) {
      var staff = lobby.staff().get(i);
      long delay = Math.max(1, 60_000L * i / rates.staff());
      vertx.setTimer(delay, t -> signIn(staff));
    }
    var ticketDue = new double[1];
    var searchDue = new double[1];
    var bookingDue = new double[1];
    timers.add(vertx.setPeriodic(100, t -> {
      double seconds = (System.nanoTime() - origin) / 1e9;
      double ticketRate = seconds < 60 ? rates.firstMinuteTickets() / 60 : rates.ticketsPerSecond();
      ticketDue[0] += share * ticketRate / 10;
      searchDue[0] += share * rates.searchesPerSecond() / 10;
      bookingDue[0] += share * rates.bookingsPerSecond() / 10;
      for (; ticketDue[0] >= 1; ticketDue[0]--) {
        takeTicket();
      }
      for (; searchDue[0] >= 1; searchDue[0]--) {
        search();
      }
      for (; bookingDue[0] >= 1; bookingDue[0]--) {
        book();
      }
    }));
  }

  /**
   * The load drops to {@code to} of itself: walk-ins, searches and bookings come at that share of
   * their rates, and the staff beyond that share go home after their current visit (their counters
   * stay open, their screens and the visitors' streams stay).
   */
  void drop(double to) {
    share = to;
    var staff = lobby.staff();
    for (int i = (int) Math.round(staff.size() * to); i < staff.size(); i++) {
      leaving.add(staff.get(i).id());
    }
  }

  /** Stops sending new requests; returns how many are still waiting for their answer. */
  int stop() {
    running = false;
    timers.forEach(vertx::cancelTimer);
    return inFlight.get();
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Whether every ticket stream opened so far has had its first snapshot. */
  boolean ticketSnapshotsIn() {
    synchronized (ticketFeeds) {
      return firstSnapshot.size() >= ticketFeeds.size();
    }
  }

  void closeStreams() {
    synchronized (feeds) {
      feeds.forEach(SseFeed::close);
    }
    synchronized (ticketFeeds) {
      ticketFeeds.forEach(SseFeed::close);
    }
  }

  // ---- staff ---------------------------------------------------------------------------------

  private void signIn(LobbySetup.Staff staff) {
    send("sign-in", api.post("/api/v1/auth/login"), new JsonObject().put("email", staff.email())
        .put("password", LobbySetup.PASSWORD), r -> {
      if (r == null || r.statusCode() != 200) {
        later(5_000, () -> signIn(staff));
        return;
      }
      String token = r.bodyAsJsonObject().getString("accessToken");
      signedIn.incrementAndGet();
      openCounter(staff, token);
    });
  }

  private void openCounter(LobbySetup.Staff staff, String token) {
    send(null, auth(api.post("/api/v1/counters/" + staff.counter() + "/session"), token), null, r -> {
      if (r == null || r.statusCode() >= 300) {
        later(2_000, () -> openCounter(staff, token));
        return;
      }
      countersOpen.incrementAndGet();
      var entry = ledger.add(false);
      feed("/api/v1/service-points/" + lobby.lobby() + "/queue/events", token, (feed, id, event, data, at) -> {
        if ("snapshot".equals(event)) {
          entry.snapshot(id);
        } else if (id >= 0) {
          entry.event(id);
        }
      }, feeds);
      callNext(staff, token);
    });
  }

  private void callNext(LobbySetup.Staff staff, String token) {
    if (leaving.contains(staff.id())) {
      return;
    }
    long sent = System.nanoTime();
    send("call-next", auth(api.post("/api/v1/counters/" + staff.counter() + "/call-next"), token), null, r -> {
      int status = r == null ? -1 : r.statusCode();
      if (status == 200) {
        var ticket = r.bodyAsJsonObject();
        callSent.put(ticket.getString("number"), sent);
        callAnswered.put(ticket.getString("number"), System.nanoTime());
        callSentById.put(ticket.getString("id"), sent);
        faults.callAnswered(sent, System.nanoTime());
        later(1_000 + ThreadLocalRandom.current().nextInt(2_000), () -> visit(staff, token, ticket.getString("id"), "start", 3));
      } else if (status == 204) {
        faults.callAnswered(sent, System.nanoTime());
        later(2_000, () -> callNext(staff, token));
      } else {
        later(1_000, () -> callNext(staff, token));
      }
    });
  }

  private void visit(LobbySetup.Staff staff, String token, String ticket, String step, int tries) {
    var request = auth(api.post("/api/v1/tickets/" + ticket + "/" + step), token);
    send(step, request, "finish".equals(step) ? new JsonObject() : null, r -> {
      boolean ok = r != null && r.statusCode() < 300;
      if (!ok && tries > 1) {
        later(1_000, () -> visit(staff, token, ticket, step, tries - 1));
      } else if ("start".equals(step)) {
        later(24_000 + ThreadLocalRandom.current().nextInt(8_000), () -> visit(staff, token, ticket, "finish", 3));
      } else {
        callNext(staff, token);
      }
    });
  }

  // ---- visitors and residents ----------------------------------------------------------------

  private void takeTicket() {
    String service = lobby.services().get(ThreadLocalRandom.current().nextInt(lobby.services().size()));
    send("take a ticket", api.post("/api/v1/service-points/" + lobby.lobby() + "/tickets"),
        new JsonObject().put("serviceId", service).put("channel", "desk").put("language", "sv"), r -> {
          if (r == null || r.statusCode() != 201) {
            return;
          }
          var ticket = r.bodyAsJsonObject();
          follow(ticket.getString("id"), ticket.getString("token"));
        });
  }

  private void follow(String id, String token) {
    var first = new boolean[] {true};
    long open = ticketStreamsOpen.incrementAndGet();
    ticketStreamsMax.accumulateAndGet(open, Math::max);
    feed("/api/v1/tickets/" + id + "/events?token=" + token, null, (feed, eventId, event, data, at) -> {
      if (first[0] && "snapshot".equals(event)) {
        first[0] = false;
        firstSnapshot.add(at - feed.openedAt);
        if (feed.openedAt - origin >= STEADY_AFTER_NANOS) {
          steadySnapshot.add(at - feed.openedAt);
        }
      }
      Matcher m = STATUS.matcher(data);
      boolean found = m.find();
      if (found && "called".equals(m.group(1))) {
        calledAtVisitor.putIfAbsent(id, at);
      }
      if (found && List.of("done", "no-show", "cancelled", "expired").contains(m.group(1))) {
        feed.close();
        ticketStreamsOpen.decrementAndGet();
      }
    }, ticketFeeds);
  }

  private void search() {
    String uri = "/api/v1/availability?servicePoint=" + lobby.bookable() + "&service=" + lobby.bookedService()
        + "&channel=desk&from=" + lobby.firstBookable() + "&to=" + lobby.firstBookable().plusDays(6);
    send("availability", api.get(uri), null, r -> {
    });
  }

  private void book() {
    var random = ThreadLocalRandom.current();
    var day = lobby.firstBookable().plusDays(random.nextInt(LobbySetup.BOOKABLE_DAYS));
    var time = LocalTime.of(8, 0).plusMinutes(15L * random.nextInt(40));
    long n = bookings.incrementAndGet();
    var body = new JsonObject().put("servicePointId", lobby.bookable()).put("serviceId", lobby.bookedService())
        .put("channel", "desk").put("start", ZonedDateTime.of(day, time, LobbySetup.ZONE).toOffsetDateTime().toString())
        .put("name", "Invånare " + n).put("email", "resident" + n + "@system.bench").put("language", "sv")
        .put("consent", true);
    send("booking", api.post("/api/v1/bookings"), body, r -> {
    });
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private void feed(String uri, String bearer, SseFeed.Listener frames, List<SseFeed> into) {
    var reconnecting = new boolean[1];
    var feed = new SseFeed(vertx, streams, uri, bearer, new SseFeed.Listener() {
      @Override
      public void frame(SseFeed f, long id, String event, String data, long nanos) {
        if (reconnecting[0]) {
          reconnecting[0] = false;
          faults.reconnected(nanos);
        }
        frames.frame(f, id, event, data, nanos);
      }

      @Override
      public void dropped(SseFeed f, long nanos) {
        reconnecting[0] = true;
        faults.dropped(nanos);
      }

      @Override
      public void refused(SseFeed f, int status) {
        streamRefusals.merge(status, 1, Integer::sum);
      }
    });
    synchronized (into) {
      into.add(feed);
    }
    feed.open();
  }

  private static HttpRequest<Buffer> auth(HttpRequest<Buffer> request, String token) {
    return request.putHeader("Authorization", "Bearer " + token);
  }

  private void later(long millis, Runnable action) {
    if (running) {
      vertx.setTimer(millis, t -> {
        if (running) {
          action.run();
        }
      });
    }
  }

  /** Sends a request, records its answer under {@code kind} (unless null) and hands the answer (null when none came) on. */
  private void send(String kind, HttpRequest<Buffer> request, JsonObject body, Consumer<HttpResponse<Buffer>> then) {
    if (!running) {
      return;
    }
    long sent = System.nanoTime();
    inFlight.incrementAndGet();
    request.timeout(TIMEOUT_MS);
    (body == null ? request.send() : request.sendJsonObject(body)).onComplete(result -> {
      inFlight.decrementAndGet();
      var response = result.succeeded() ? result.result() : null;
      if (kind != null) {
        recorder.record(kind, sent, response == null ? -1 : response.statusCode());
      }
      then.accept(response);
    });
  }

  // ---- what the run showed -------------------------------------------------------------------

  String report() {
    var latencies = new ArrayList<Long>();
    var steady = new ArrayList<Long>();
    var afterAnswer = new ArrayList<Long>();
    int unmatched = 0;
    for (Object[] arrival : screenArrivals) {
      Long sent = callSent.get((String) arrival[0]);
      Long answered = callAnswered.get((String) arrival[0]);
      if (sent == null) {
        unmatched++;
      } else {
        latencies.add((Long) arrival[1] - sent);
        if (sent - origin >= STEADY_AFTER_NANOS) {
          steady.add((Long) arrival[1] - sent);
        }
        if (answered != null) {
          afterAnswer.add((Long) arrival[1] - answered); // negative when the screen heard of it first
        }
      }
    }
    var out = new StringBuilder(String.format("staff signed in %d of %d, counters opened %d%n", signedIn.get(),
        rates.staff(), countersOpen.get()));
    out.append("call → screen (call-next sent → ticket-called on each screen): ")
        .append(LoadRecorder.percentiles(latencies.stream().mapToLong(Long::longValue).toArray()))
        .append(unmatched > 0 ? " (" + unmatched + " arrivals of calls whose answer never came)" : "").append('\n');
    out.append("  steady (calls sent after the first minute): ")
        .append(LoadRecorder.percentiles(steady.stream().mapToLong(Long::longValue).toArray())).append('\n');
    out.append("  of which after the call's answer reached the console (answer → screen): ")
        .append(LoadRecorder.percentiles(afterAnswer.stream().mapToLong(n -> Math.max(0, n)).toArray())).append('\n');
    var toVisitor = new ArrayList<Long>();
    var toVisitorSteady = new ArrayList<Long>();
    calledAtVisitor.forEach((id, at) -> {
      Long sent = callSentById.get(id);
      if (sent != null) {
        toVisitor.add(at - sent);
        if (sent - origin >= STEADY_AFTER_NANOS) {
          toVisitorSteady.add(at - sent);
        }
      }
    });
    out.append("call → visitor (call-next sent → \"called\" on the visitor's own ticket stream): ")
        .append(LoadRecorder.percentiles(toVisitor.stream().mapToLong(Long::longValue).toArray())).append('\n');
    out.append("  steady (calls sent after the first minute): ")
        .append(LoadRecorder.percentiles(toVisitorSteady.stream().mapToLong(Long::longValue).toArray())).append('\n');
    out.append("ticket streams, opened → first snapshot: ")
        .append(LoadRecorder.percentiles(firstSnapshot.stream().mapToLong(Long::longValue).toArray()));
    long within = firstSnapshot.stream().filter(n -> n <= SECOND).count();
    int opened;
    synchronized (ticketFeeds) {
      opened = ticketFeeds.size();
    }
    out.append(String.format("; %d of %d opened got it within 1 s; most open at once %d%n", within, opened,
        ticketStreamsMax.get()));
    out.append("  steady (opened after the first minute): ")
        .append(LoadRecorder.percentiles(steadySnapshot.stream().mapToLong(Long::longValue).toArray()))
        .append(String.format("; %d within 1 s%n", steadySnapshot.stream().filter(n -> n <= SECOND).count()));
    if (!streamRefusals.isEmpty()) {
      out.append("stream connections refused, by status: ").append(streamRefusals).append('\n');
    }
    return out.toString();
  }
}
