package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Secrets;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.core.Times;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.Service;
import se.servicepunkt.directory.ServicePoint;

/**
 * Visitors' tickets: a walk-in takes one while the point is open, a booked visitor checks in,
 * a visitor with the ticket's token follows it or leaves the queue.
 */
final class Tickets {
  /**
   * A checked request for a walk-in ticket; {@code idempotencyKey} (null: none) makes a repeated
   * request (a double tap at a kiosk, a retry) get the first ticket instead of a second one.
   */
  record Request(UUID pointId, UUID serviceId, String channel, String language, String priorityReason,
                 String idempotencyKey) {
    Request(UUID pointId, UUID serviceId, String channel, String language, String priorityReason) {
      this(pointId, serviceId, channel, language, priorityReason, null);
    }
  }

  /** A new ticket and its token, which only the visitor gets, and its short link's code (walk-ins; else null). */
  record Issued(Ticket ticket, String token, String shortCode) {
    Issued(Ticket ticket, String token) {
      this(ticket, token, null);
    }
  }

  private final Pool pool;
  private final TicketRepository tickets;
  private final QueueChanges changes;
  private final QueueAccess access;
  private final DirectoryQueries directory;
  private final BookingService bookings;
  private final boolean video;
  private final Clock clock;
  private final QueuePolicy policy;
  private final se.servicepunkt.core.Demand demand;

  Tickets(Pool pool, TicketRepository tickets, QueueChanges changes, QueueAccess access, DirectoryQueries directory,
          BookingService bookings, boolean video, Clock clock, QueuePolicy policy, se.servicepunkt.core.Demand demand) {
    this.demand = demand;
    this.pool = pool;
    this.tickets = tickets;
    this.changes = changes;
    this.access = access;
    this.directory = directory;
    this.bookings = bookings;
    this.video = video;
    this.clock = clock;
    this.policy = policy;
  }

  /** A walk-in ticket: the point must be open now and offer the service on the channel. */
  Future<Issued> take(Request r) {
    if ("video".equals(r.channel()) && !video) {
      return Future.failedFuture(Problem.conflict("Video meetings are not set up on this server."));
    }
    Instant now = clock.instant();
    return directory.pointAndService(pool, r.pointId(), r.serviceId()).compose(found -> {
      if (found.point() == null) {
        return Future.failedFuture(Problem.notFound("The service point"));
      }
      var in = Input.of(new JsonObject());
      in.check(found.service() != null, "serviceId", "is not a known service");
      if (found.service() != null) {
        in.check(found.offered(), "serviceId", "is not offered at this service point");
        in.check(!found.offered() || found.service().channels().contains(r.channel()), "channel",
            "is not offered for that service");
      }
      in.done();
      ServicePoint point = found.point();
      if (r.idempotencyKey() == null) {
        return issue(r, point, found.service(), now);
      }
      byte[] keyHash = idempotencyKeyHash(r);
      return tickets.byIdempotencyKey(pool, point.id(), keyHash).compose(first -> first != null
          ? replay(r, first)
          : issue(r, point, found.service(), now)
              // the same key at the same moment: the unique key lets one in; the other gives the first's ticket
              .recover(failure -> SqlStates.is(failure, java.util.Set.of(SqlStates.UNIQUE))
                  ? tickets.byIdempotencyKey(pool, point.id(), keyHash).compose(again -> again != null
                      ? replay(r, again) : Future.failedFuture(failure))
                  : Future.failedFuture(failure)));
    });
  }

  /** A new ticket, when the point is open now. */
  private Future<Issued> issue(Request r, ServicePoint point, Service service, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, point.timeZone());
    return directory.calendar(pool, point, today, today).compose(calendar -> {
      boolean open = calendar.day(today).intervals().stream()
          .anyMatch(i -> !now.isBefore(i.start().toInstant()) && now.isBefore(i.end().toInstant()));
      if (!open) {
        demand.count(se.servicepunkt.core.Demand.REFUSED_CLOSED, point.id(), point.timeZone(), service.id(),
            r.channel(), -1);
        return Future.failedFuture(Problem.conflict(
            "The service point is closed now; tickets are given out during opening hours."));
      }
      String token = r.idempotencyKey() == null ? Secrets.token() : idempotentToken(r);
      byte[] keyHash = r.idempotencyKey() == null ? null : idempotencyKeyHash(r);
      String code = shortCode(r);
      String room = "video".equals(r.channel()) ? Secrets.room() : null;
      return number(point, service, now)
          .compose(number -> changes.run(change -> create(change, point, service, number, r.channel(),
              r.language(), r.priorityReason(), null, null, now, token, room, keyHash, code)))
          .map(ticket -> new Issued(ticket, token, code));
    });
  }

  /** The ticket a request with the same key was given: the same service, channel and reason, or a 422. */
  private Future<Issued> replay(Request r, Ticket first) {
    boolean same = first.serviceId().equals(r.serviceId()) && first.channel().equals(r.channel())
        && java.util.Objects.equals(first.priorityReason(), r.priorityReason());
    return same
        ? Future.succeededFuture(new Issued(first, idempotentToken(r), shortCode(r)))
        : Future.failedFuture(Problem.invalid("Idempotency-Key", "was already used for a different ticket"));
  }

  /** The short link's code: random, or derived from the idempotency key so that a repeated request gets it again. */
  private static String shortCode(Request r) {
    return r.idempotencyKey() == null ? ShortLinks.random()
        : ShortLinks.derived(r.pointId() + ":" + r.idempotencyKey());
  }

  /** The ticket's id and token a short link's code leads to; null when it leads nowhere. */
  Future<Issued> byShortCode(String typed) {
    String code = ShortLinks.normalise(typed);
    if (code == null) {
      return Future.succeededFuture();
    }
    return tickets.byShortCode(pool, ShortLinks.hash(code)).compose(link -> {
      String token = link == null ? null : ShortLinks.open(code, link.sealedToken());
      return token == null ? Future.succeededFuture()
          : tickets.byId(pool, link.ticketId()).map(ticket -> new Issued(ticket, token, code));
    });
  }

  /** What is stored of the key: a hash, per point. */
  private static byte[] idempotencyKeyHash(Request r) {
    return Secrets.sha256("ticket-idempotency-key:" + r.pointId() + ":" + r.idempotencyKey());
  }

  /**
   * The token of a ticket taken with a key, derived from the key (which only the client holds), so
   * that the repeated request can be given it again although only its hash is stored.
   */
  private static String idempotentToken(Request r) {
    return java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Secrets.sha256("ticket-token:" + r.pointId() + ":" + r.idempotencyKey()));
  }

  /**
   * Turns a booking into a ticket on its day. Early arrivals wait until the booked time; later than
   * the late window, the visitor joins as a walk-in. Video bookings join the virtual waiting room.
   */
  Future<Issued> checkIn(String reference, String token, Caller caller) {
    Instant now = clock.instant();
    return bookings.authorised(reference, token, caller).compose(booking -> {
      if (!booking.active()) {
        return Future.failedFuture(Problem.conflict("The booking is cancelled."));
      }
      LocalDate today = LocalDate.ofInstant(now, booking.zone());
      LocalDate day = booking.start().atZoneSameInstant(booking.zone()).toLocalDate();
      if (!day.equals(today)) {
        return Future.failedFuture(Problem.conflict("The appointment is on " + day + "; check in on that day."));
      }
      Instant start = booking.start().toInstant();
      Instant opens = start.minus(Duration.ofMinutes(policy.checkInEarlyMinutes()));
      if (now.isBefore(opens)) {
        return Future.failedFuture(Problem.conflict("It is too early to check in; check in from "
            + Times.hhmm(opens.atZone(booking.zone()).toLocalTime()) + "."));
      }
      boolean late = now.isAfter(start.plus(Duration.ofMinutes(policy.checkInLateMinutes())));
      String ticketToken = Secrets.token();
      return tickets.byBooking(pool, booking.id()).compose(existing -> existing != null
              ? Future.failedFuture(Problem.conflict("The booking is already checked in as ticket " + existing.number() + "."))
              : directory.pointAndService(pool, booking.servicePointId(), booking.serviceId()))
          .compose(found -> number(found.point(), found.service(), now)
              .compose(number -> changes.run(change -> create(change, found.point(), found.service(), number,
                  booking.channel(), booking.language(), null, booking.id(), late ? null : start, now, ticketToken,
                  booking.videoRoom(), null, null))))
          .recover(SqlStates.uniqueViolation(() -> Problem.conflict("The booking is already checked in.")))
          .map(ticket -> new Issued(ticket, ticketToken));
    });
  }

  /**
   * The booking a checked-in ticket came from, as the console shows it (its reference and the name
   * booked), for staff of the organisation whose service it is (or the system administrator): in a
   * joint operation another organisation's staff see the ticket, not the resident's name. Null for
   * walk-ins, visitors and other staff.
   */
  Future<JsonObject> bookedBy(Ticket ticket, Caller caller) {
    if (ticket.bookingId() == null || caller == null || bookings == null
        || !(caller.isSysadmin() || ticket.organisationId().equals(caller.organisationId()))) {
      return Future.succeededFuture(null);
    }
    return bookings.bookings(java.util.List.of(ticket.bookingId())).map(found -> found.isEmpty() ? null
        : new JsonObject().put("reference", found.get(0).reference()).put("name", found.get(0).name()));
  }

  /**
   * The ticket, if {@code token} is its token or the caller is staff serving at its point; else 404
   * (staff elsewhere learn no more than a visitor without the token does).
   */
  Future<Ticket> authorised(UUID id, String token, Caller caller) {
    return tickets.byId(pool, id).compose(ticket -> {
      if (Secrets.matches(token, ticket.tokenHash())) {
        return Future.succeededFuture(ticket);
      }
      if (caller == null) {
        return Future.failedFuture(Problem.notFound(TicketRepository.TICKET));
      }
      return access.servesAt(ticket.servicePointId(), caller).map(ticket)
          .recover(refused -> Future.failedFuture(Problem.notFound(TicketRepository.TICKET)));
    });
  }

  /** Whether {@code token} is the ticket's own (its visitor's) token. */
  boolean holdsToken(Ticket ticket, String token) {
    return Secrets.matches(token, ticket.tokenHash());
  }

  /** The visitor leaves the queue. */
  Future<Ticket> leave(Ticket ticket) {
    Instant now = clock.instant();
    return changes.run(change -> tickets.cancel(change.tx(), ticket.id(), now).compose(cancelled -> cancelled != null
        ? change.ticket(cancelled, "ticket-cancelled")
        : Future.failedFuture(Problem.conflict("It is no longer waiting, so it cannot be cancelled."))));
  }

  /**
   * The ticket's number (letter and a counter per point, local day and letter), taken in its own
   * short statement before the ticket's transaction, so that the counter's row is locked only for
   * that statement and visitors at one point do not wait for each other's whole transaction. A
   * number whose ticket then fails is skipped, never given twice.
   */
  private Future<String> number(ServicePoint point, Service service, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, point.timeZone());
    return tickets.nextNumber(pool, point.id(), today, service.ticketLetter())
        .map(n -> service.ticketLetter() + String.format("%03d", n));
  }

  /** Writes a numbered ticket and its event, in the change's transaction. */
  private Future<Ticket> create(QueueChanges.Change change, ServicePoint point, Service service, String number,
                                String channel, String language, String priorityReason, UUID bookingId,
                                Instant bookedStart, Instant now, String token, String videoRoom,
                                byte[] idempotencyKeyHash, String shortCode) {
    LocalDate today = LocalDate.ofInstant(now, point.timeZone());
    return tickets.insert(change.tx(), new TicketRepository.NewTicket(point.id(), service.id(), channel, today, number,
            Secrets.sha256(token), language, priorityReason, bookingId, bookedStart, now, videoRoom,
            idempotencyKeyHash, shortCode == null ? null : ShortLinks.hash(shortCode),
            shortCode == null ? null : ShortLinks.seal(shortCode, token)))
        .compose(id -> tickets.byId(change.tx(), id))
        .compose(ticket -> change.ticket(ticket, "ticket-created"));
  }
}
