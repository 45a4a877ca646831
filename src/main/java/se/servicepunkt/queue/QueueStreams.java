package se.servicepunkt.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import se.servicepunkt.core.Contexts;
import se.servicepunkt.core.Times;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.Service;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.EventStream;
import se.servicepunkt.live.LiveEvent;
import se.servicepunkt.live.LiveHub;

/**
 * What the three kinds of stream show. A snapshot is read in one repeatable-read transaction
 * together with the id of the last event it includes, so the events that follow it neither
 * repeat nor skip a change. Reads are shared: a screen's or a console's snapshot is read once
 * per point while no event has passed (streams starting together share the read under way); a
 * visitor's state is read for all of a point's visitors at once ({@link VisitorStates}).
 */
final class QueueStreams {
  private static final int RECENT_CALLS = 10;

  private final Pool pool;
  private final LiveHub hub;
  private final TicketRepository tickets;
  private final CounterSessions counters;
  private final WaitingQueries queries;
  private final Places places;
  private final DirectoryQueries directory;
  private final EventStore events;
  private final Clock clock;
  private final VisitorStates visitors;
  private final WaitingSummaries summaries;
  private final Map<String, Future<EventStream.Snapshot>> snapshots = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong snapshotReads = new java.util.concurrent.atomic.AtomicLong();

  /**
   * How far apart reads of all of a point's watched visitors start on an instance (see
   * {@link VisitorStates}): 250 ms up to 500 visitors, then half a millisecond a visitor, at most a
   * second (from 2,000 on).
   */
  static final VisitorStates.Spacing VISITOR_READS_APART =
      new VisitorStates.Spacing(Duration.ofMillis(250), Duration.ofNanos(500_000), Duration.ofSeconds(1));
  /**
   * How often at most the states of a few of a point's visitors are read: newly opened ticket
   * streams' first states, and visitors an event names (see {@link VisitorStates}).
   */
  static final Duration FEW_VISITOR_READS_APART = Duration.ofMillis(100);
  /**
   * How soon a waiting visitor whose place alone moved hears of it (see {@link VisitorStates}): at
   * every read within the first 10 places, beyond them at most every 25 ms per place (the 40th
   * every second), and at least every 5 s (from the 200th on).
   */
  static final VisitorStates.PlaceUpdates PLACE_UPDATES =
      new VisitorStates.PlaceUpdates(10, Duration.ofMillis(25), Duration.ofSeconds(5));
  /** How often at most a point's waiting summary is read for its screens and consoles (see {@link WaitingSummaries}). */
  static final Duration SUMMARY_READS_APART = Duration.ofMillis(250);

  QueueStreams(Vertx vertx, Pool pool, LiveHub hub, TicketRepository tickets, CounterSessions counters,
               WaitingQueries queries, Places places, DirectoryQueries directory, EventStore events, Clock clock) {
    this.pool = pool;
    this.hub = hub;
    this.tickets = tickets;
    this.counters = counters;
    this.queries = queries;
    this.places = places;
    this.directory = directory;
    this.events = events;
    this.clock = clock;
    this.visitors = new VisitorStates(hub, this::visitorStates, vertx, VISITOR_READS_APART, FEW_VISITOR_READS_APART,
        PLACE_UPDATES);
    this.summaries = new WaitingSummaries(hub, vertx, SUMMARY_READS_APART, this::waitingSummary);
  }

  /**
   * A reception screen: the latest calls (number and counter) and, per service, how many wait and
   * for how long. Never a name, a ticket id, a priority reason or anything else about a person.
   * The stream ends when its display token ({@code tokenId}) is revoked.
   */
  EventStream.View display(ServicePoint point, UUID tokenId) {
    return new EventStream.View() {
      @Override
      public Future<EventStream.Snapshot> snapshot() {
        LocalDate today = LocalDate.now(clock.withZone(point.timeZone()));
        return shared("display " + today, point.id(), () -> consistent(point.id(), conn -> Future.all(
                directory.services(conn, point.id()),
                queries.waiting(conn, point.id(), clock.instant()),
                queries.recentCalls(conn, point.id(), today, RECENT_CALLS, point.timeZone()))
            .map(all -> new JsonObject()
                .put("servicePoint", new JsonObject().put("id", point.id().toString()).put("name", point.name()))
                .put("timeZone", point.timeZone().getId())
                .put("services", new JsonArray(all.<List<Service>>resultAt(0).stream()
                    .map(s -> new JsonObject().put("id", s.id().toString()).put("letter", s.ticketLetter())
                        .put("nameSv", s.nameSv()).put("nameEn", s.nameEn())).toList()))
                .put("waiting", new JsonArray(all.<List<Waiting>>resultAt(1).stream().map(Waiting::toJson).toList()))
                .put("calls", new JsonArray(all.<List<JsonObject>>resultAt(2))))));
      }

      @Override
      public String render(LiveEvent event) {
        JsonObject frame = displayFrame(event, point);
        return frame == null ? null : frame.encode();
      }

      @Override
      public String kind() {
        return "display";
      }

      /** The screen page's watchdog listens for named heartbeats (it never sees comments). */
      @Override
      public void opened(EventStream stream) {
        stream.sse().namedHeartbeats();
      }

      @Override
      public void started(EventStream stream) {
        summaries.follow(point.id(), stream);
      }

      @Override
      public void delivered(LiveEvent event, EventStream stream) {
        JsonObject revoked = event.data().getJsonObject("displayToken");
        if (revoked != null && tokenId.toString().equals(revoked.getString("id"))) {
          stream.sse().close();
        }
      }
    };
  }

  /** The display's view of an event; null for events a screen has nothing to show for. */
  static JsonObject displayFrame(LiveEvent event, ServicePoint point) {
    JsonObject ticket = event.data().getJsonObject("ticket");
    if (ticket == null && event.data().getJsonObject("counter") == null) {
      return null;
    }
    var frame = new JsonObject().put("type", event.type()).put("at", Times.iso(event.at(), point.timeZone()));
    if (ticket != null) {
      frame.put("ticket", new JsonObject().put("number", ticket.getString("number"))
          .put("serviceId", ticket.getString("serviceId")).put("channel", ticket.getString("channel"))
          .put("status", ticket.getString("status")).put("counterName", ticket.getString("counterName")));
    }
    JsonObject counter = event.data().getJsonObject("counter");
    if (counter != null) {
      frame.put("counter", new JsonObject().put("name", counter.getString("name")));
    }
    return frame;
  }

  /**
   * A member of staff's console: every open ticket (other organisations' without their details, see
   * {@link QueueAccess#shownTo}), the counters, and the waiting summary. Events carry nothing
   * personal, so every console at the point gets the same frames.
   */
  EventStream.View staff(ServicePoint point, se.servicepunkt.auth.Caller caller) {
    return new EventStream.View() {
      @Override
      public Future<EventStream.Snapshot> snapshot() {
        return shared("staff", point.id(), () -> consistent(point.id(), conn -> Future.all(
                tickets.openAt(conn, point.id()), counters.atPoint(conn, point.id()),
                queries.waiting(conn, point.id(), clock.instant()))
            .map(all -> new JsonObject()
                .put("servicePoint", new JsonObject().put("id", point.id().toString()).put("name", point.name()))
                .put("tickets", new JsonArray(all.<List<Ticket>>resultAt(0).stream().map(Ticket::toJson).toList()))
                .put("counters", new JsonArray(all.<List<StaffedCounter>>resultAt(1).stream()
                    .map(StaffedCounter::toJson).toList()))
                .put("waiting", new JsonArray(all.<List<Waiting>>resultAt(2).stream()
                    .map(Waiting::toJson).toList())))))
            .map(shared -> new EventStream.Snapshot(shared.lastEventId(), QueueAccess.queueShownTo(shared.data(), caller)));
      }

      /** The change, and when it happened (a new ticket's arrival, for the console's waiting times); built once per event. */
      @Override
      public String render(LiveEvent event) {
        return event.data().copy().put("at", Times.iso(event.at(), point.timeZone())).encode();
      }

      @Override
      public String kind() {
        return "staff";
      }

      /** The console's watchdog listens for named heartbeats (a page never sees comments), as the screen's does. */
      @Override
      public void opened(EventStream stream) {
        stream.sse().namedHeartbeats();
      }

      @Override
      public void started(EventStream stream) {
        summaries.follow(point.id(), stream);
      }
    };
  }

  /**
   * A visitor's own ticket: its state, position and estimated wait, and the meeting link once a
   * video visitor is admitted. Events of other visitors are not shown, so the stream does not
   * follow the point's events at all: the visitor gets their new state whenever it changes, from
   * the reads {@link VisitorStates} makes for all of the point's visitors on this instance, with the
   * id of the last event each read includes. A reconnecting visitor gets their state as a snapshot.
   */
  EventStream.View ticket(Ticket ticket) {
    UUID point = ticket.servicePointId();
    Context context = Vertx.currentContext();
    return new EventStream.View() {
      private EventStream stream;
      private String lastSent;
      private long shownFrom = -1;
      private boolean showing;
      /** The newest read of everyone that came before this stream's first state was shown. */
      private VisitorStates.Read early;

      @Override
      public void opened(EventStream stream) {
        this.stream = stream;
      }

      @Override
      public boolean followsEvents() {
        return false;
      }

      /** The state from the first read that includes this visitor, with its event id. */
      @Override
      public Future<EventStream.Snapshot> snapshot() {
        return Contexts.on(context, watch()).map(read -> {
          String state = read.states().get(ticket.id());
          if (state == null) {
            throw new IllegalStateException("the ticket was not among its point's visitors read");
          }
          lastSent = state;
          shownFrom = read.lastEventId();
          showing = true;
          VisitorStates.Read newer = early;
          if (newer != null && newer.lastEventId() > read.lastEventId()) {
            context.runOnContext(v -> show(newer)); // after the snapshot is sent
          }
          return new EventStream.Snapshot(read.lastEventId(), new JsonObject(state).put("lastEventId", read.lastEventId()));
        });
      }

      @Override
      public String render(LiveEvent event) {
        return null;
      }

      private Future<VisitorStates.Read> watch() {
        var watcher = new VisitorStates.Watcher(ticket.id(), context, this::show);
        stream.sse().onClose(() -> visitors.unwatch(point, watcher));
        return visitors.watch(point, watcher);
      }

      /** A read of the point's visitors: sends this visitor's state when it changed. */
      private void show(VisitorStates.Read read) {
        if (!showing) {
          if (early == null || read.lastEventId() > early.lastEventId()) {
            early = read; // shown after the first state, if it is newer
          }
          return;
        }
        String state = read.states().get(ticket.id());
        if (read.lastEventId() < shownFrom || state == null || state.equals(lastSent)) {
          return;
        }
        lastSent = state;
        shownFrom = read.lastEventId();
        stream.sse().send(read.lastEventId(), "ticket", state);
      }
    };
  }

  /** What a visitor's page shows of their ticket. */
  static JsonObject publicTicket(Ticket t) {
    return new JsonObject().put("id", t.id().toString()).put("number", t.number()).put("status", t.status())
        .put("channel", t.channel()).put("serviceId", t.serviceId().toString())
        .put("serviceNameSv", t.serviceNameSv()).put("serviceNameEn", t.serviceNameEn())
        .put("counterName", t.counterName()).put("calledAt", Times.iso(t.calledAt(), t.zone()))
        .put("recalls", t.recalls());
  }

  /** The states of the point's watched visitors and the last event id, in one consistent read. */
  private Future<VisitorStates.States> visitorStates(UUID point, List<UUID> ids) {
    var states = new HashMap<UUID, JsonObject>();
    return consistent(point, conn -> tickets.byIds(conn, ids).compose(found -> places.of(conn, point, found)
            .map(placed -> {
              found.forEach(t -> states.put(t.id(), publicTicket(t).mergeIn(placed.get(t.id()))));
              return new JsonObject();
            })))
        .map(snapshot -> new VisitorStates.States(snapshot.lastEventId(), states));
  }

  /**
   * A snapshot of one kind at the point, shared: the read under way, or the last one while the
   * point has had no event since (on this instance). A stream whose snapshot is older than the
   * events it then receives fills the gap from the event table, so sharing never loses an event.
   */
  private Future<EventStream.Snapshot> shared(String kind, UUID point, Supplier<Future<EventStream.Snapshot>> read) {
    Context context = Vertx.currentContext();
    Future<EventStream.Snapshot> snapshot = snapshots.compute(kind + " " + point, (key, current) ->
        current != null && (!current.isComplete()
            || current.succeeded() && current.result().lastEventId() == hub.lastPublished(point))
            ? current
            : fresh(read));
    return Contexts.on(context, snapshot);
  }

  private Future<EventStream.Snapshot> fresh(Supplier<Future<EventStream.Snapshot>> read) {
    snapshotReads.incrementAndGet();
    return read.get();
  }

  /** How many screen and console snapshots this instance has read (shared ones count once). */
  long snapshotReads() {
    return snapshotReads.get();
  }

  /** How many waiting summaries this instance has read for its screens and consoles. */
  long summaryReads() {
    return summaries.reads();
  }

  /** The point's waiting summary now, with the last event id it includes, as a frame for every stream. */
  private Future<WaitingSummaries.Summary> waitingSummary(UUID point) {
    return consistent(point, conn -> queries.waiting(conn, point, clock.instant())
            .map(summary -> new JsonObject().put("waiting", new JsonArray(summary.stream().map(Waiting::toJson).toList()))))
        .map(read -> new WaitingSummaries.Summary(read.lastEventId(),
            se.servicepunkt.web.SseStream.unnumbered("waiting", read.data().encode())));
  }

  /** How many reads of visitors' states this instance has made. */
  long visitorReads() {
    return visitors.reads();
  }

  /** How many of those read all of a point's watched visitors. */
  long visitorReadsOfEveryone() {
    return visitors.readsOfEveryone();
  }

  /** Runs {@code read} in a repeatable-read snapshot that starts with the point's last event id. */
  private Future<EventStream.Snapshot> consistent(UUID point, Function<SqlConnection, Future<JsonObject>> read) {
    return pool.withConnection(conn -> conn.query("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute()
        .compose(v -> events.last(conn, point))
        .compose(last -> read.apply(conn).map(data -> new EventStream.Snapshot(last, data.put("lastEventId", last))))
        .eventually(() -> conn.query("COMMIT").execute()));
  }
}
