package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.List;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.Function;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.EventStream;
import se.servicepunkt.live.LiveEvent;
import se.servicepunkt.core.Times;

/**
 * What the three kinds of stream show. A snapshot is read in one repeatable-read transaction
 * together with the id of the last event it includes, so the events that follow it neither
 * repeat nor skip a change.
 */
final class QueueStreams {
  private static final int RECENT_CALLS = 10;

  private final Pool pool;
  private final TicketRepository tickets;
  private final CounterSessions counters;
  private final WaitingQueries queries;
  private final Places places;
  private final DirectoryQueries directory;
  private final EventStore events;
  private final Clock clock;

  QueueStreams(Pool pool, TicketRepository tickets, CounterSessions counters, WaitingQueries queries, Places places,
               DirectoryQueries directory, EventStore events, Clock clock) {
    this.pool = pool;
    this.tickets = tickets;
    this.counters = counters;
    this.queries = queries;
    this.places = places;
    this.directory = directory;
    this.events = events;
    this.clock = clock;
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
        return consistent(point.id(), conn -> Future.all(directory.services(conn, point.id()),
                queries.waiting(conn, point.id(), clock.instant()),
                queries.recentCalls(conn, point.id(), today, RECENT_CALLS, point.timeZone()))
            .map(all -> new JsonObject()
                .put("servicePoint", new JsonObject().put("id", point.id().toString()).put("name", point.name()))
                .put("timeZone", point.timeZone().getId())
                .put("services", new JsonArray(all.<java.util.List<se.servicepunkt.directory.Service>>resultAt(0).stream()
                    .map(s -> new JsonObject().put("id", s.id().toString()).put("letter", s.ticketLetter())
                        .put("nameSv", s.nameSv()).put("nameEn", s.nameEn())).toList()))
                .put("waiting", new JsonArray(all.<java.util.List<Waiting>>resultAt(1).stream()
                    .map(Waiting::toJson).toList()))
                .put("calls", new JsonArray(all.<java.util.List<JsonObject>>resultAt(2)))));
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
    return frame.put("waiting", event.data().getJsonArray("waiting"));
  }

  /** A member of staff's console: every open ticket, the counters, and the waiting summary. */
  EventStream.View staff(ServicePoint point) {
    return new EventStream.View() {
      @Override
      public Future<EventStream.Snapshot> snapshot() {
        return consistent(point.id(), conn -> Future.all(tickets.openAt(conn, point.id()), counters.atPoint(conn, point.id()),
                queries.waiting(conn, point.id(), clock.instant()))
            .map(all -> new JsonObject()
                .put("servicePoint", new JsonObject().put("id", point.id().toString()).put("name", point.name()))
                .put("tickets", new JsonArray(all.<java.util.List<Ticket>>resultAt(0).stream().map(Ticket::toJson).toList()))
                .put("counters", new JsonArray(all.<java.util.List<StaffedCounter>>resultAt(1).stream()
                    .map(StaffedCounter::toJson).toList()))
                .put("waiting", new JsonArray(all.<java.util.List<Waiting>>resultAt(2).stream()
                    .map(Waiting::toJson).toList()))));
      }

      @Override
      public String render(LiveEvent event) {
        return event.data().encode();
      }

      @Override
      public String kind() {
        return "staff";
      }
    };
  }

  /**
   * A visitor's own ticket: its state, position and estimated wait, and the meeting link once a
   * video visitor is admitted. Events of other visitors are not shown; they only make the
   * stream send the visitor's new position (one read per change that can move it).
   */
  EventStream.View ticket(Ticket ticket) {
    UUID point = ticket.servicePointId();
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    return new EventStream.View() {
      private String lastSent;
      private boolean watching;

      @Override
      public Future<EventStream.Snapshot> snapshot() {
        return consistent(point, conn -> state(conn, ticket.id()).map(state -> {
          lastSent = state.encode();
          return state;
        }));
      }

      @Override
      public String render(LiveEvent event) {
        return null;
      }

      @Override
      public void delivered(LiveEvent event, EventStream stream) {
        if (!watching) {
          watching = true;
          visitors.watch(point, ticket.id());
          stream.sse().onClose(() -> visitors.unwatch(point, ticket.id()));
        }
        JsonObject about = event.data().getJsonObject("ticket");
        boolean mine = about != null && ticket.id().toString().equals(about.getString("id"));
        boolean sameQueue = about == null || ticket.serviceId().toString().equals(about.getString("serviceId"));
        if (!mine && !sameQueue) {
          return;
        }
        visitors.after(point, event.id()).onComplete(result -> context.runOnContext(v -> {
          JsonObject state = result.succeeded() ? result.result().get(ticket.id()) : null;
          if (state != null) {
            send(stream, state);
          } else { // not among the visitors read for this event (it began watching meanwhile): read it alone
            pool.withConnection(conn -> state(conn, ticket.id()))
                .onSuccess(alone -> context.runOnContext(x -> send(stream, alone)));
          }
        }));
      }

      private void send(EventStream stream, JsonObject state) {
        String encoded = state.encode();
        if (!encoded.equals(lastSent)) {
          lastSent = encoded;
          stream.sendExtra("ticket", encoded);
        }
      }
    };
  }

  /**
   * The visitors whose streams this instance holds, per point, and their states after each event:
   * read once per event for all of them (three queries), not once per visitor.
   */
  private final class Visitors {
    private final java.util.Map<UUID, java.util.Map<UUID, Integer>> watched = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<UUID, java.util.Map.Entry<Long, Future<java.util.Map<UUID, JsonObject>>>> latest =
        new java.util.concurrent.ConcurrentHashMap<>();

    void watch(UUID point, UUID ticket) {
      watched.computeIfAbsent(point, p -> new java.util.concurrent.ConcurrentHashMap<>()).merge(ticket, 1, Integer::sum);
    }

    void unwatch(UUID point, UUID ticket) {
      watched.computeIfPresent(point, (p, tickets) -> {
        tickets.computeIfPresent(ticket, (t, n) -> n > 1 ? n - 1 : null);
        return tickets.isEmpty() ? null : tickets;
      });
      if (!watched.containsKey(point)) {
        latest.remove(point);
      }
    }

    synchronized Future<java.util.Map<UUID, JsonObject>> after(UUID point, long eventId) {
      var last = latest.get(point);
      if (last != null && last.getKey() == eventId) {
        return last.getValue();
      }
      var ids = java.util.List.copyOf(watched.getOrDefault(point, java.util.Map.of()).keySet());
      Future<java.util.Map<UUID, JsonObject>> states = ids.isEmpty()
          ? Future.succeededFuture(java.util.Map.of())
          : pool.withConnection(conn -> tickets.byIds(conn, ids).compose(found -> places.of(conn, point, found)
              .map(placed -> {
                var result = new java.util.HashMap<UUID, JsonObject>();
                found.forEach(t -> result.put(t.id(), publicTicket(t).mergeIn(placed.get(t.id()))));
                return result;
              })));
      latest.put(point, java.util.Map.entry(eventId, states));
      return states;
    }
  }

  private final Visitors visitors = new Visitors();

  private Future<JsonObject> state(SqlConnection conn, UUID id) {
    return tickets.byId(conn, id)
        .compose(t -> places.of(conn, t.servicePointId(), List.of(t)).map(placed -> publicTicket(t).mergeIn(placed.get(id))));
  }

  /** What a visitor's page shows of their ticket. */
  static JsonObject publicTicket(Ticket t) {
    return new JsonObject().put("id", t.id().toString()).put("number", t.number()).put("status", t.status())
        .put("channel", t.channel()).put("serviceId", t.serviceId().toString())
        .put("serviceNameSv", t.serviceNameSv()).put("serviceNameEn", t.serviceNameEn())
        .put("counterName", t.counterName()).put("calledAt", Times.iso(t.calledAt(), t.zone()))
        .put("recalls", t.recalls());
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
