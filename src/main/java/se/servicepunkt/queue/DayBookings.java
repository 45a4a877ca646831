package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.booking.Booking;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.core.Times;
import se.servicepunkt.directory.ServicePoint;

/**
 * Today's bookings at a point, as the counter console lists them for staff serving there: the
 * time, the errand, the channel, whether the visitor has checked in (and as which ticket), and from
 * when check-in opens. The name booked and the booking's reference only to staff of the
 * organisation whose service it is (in a joint operation the others see that a time is booked, not
 * by whom), as {@link Tickets#bookedBy} does for a called visitor. Staff check a visitor in at the
 * desk with {@code POST /bookings/{reference}/check-in} and their bearer token.
 */
final class DayBookings {
  private final Pool pool;
  private final BookingService bookings;
  private final TicketRepository tickets;
  private final QueueAccess access;
  private final QueuePolicy policy;
  private final Clock clock;

  DayBookings(Pool pool, BookingService bookings, TicketRepository tickets, QueueAccess access, QueuePolicy policy,
              Clock clock) {
    this.pool = pool;
    this.bookings = bookings;
    this.tickets = tickets;
    this.access = access;
    this.policy = policy;
    this.clock = clock;
  }

  /** The point's active bookings of today (its local day), by time, with their check-ins. */
  Future<JsonObject> today(UUID pointId, Caller caller) {
    return access.staffPoint(pointId, caller).compose(point -> {
      LocalDate today = LocalDate.ofInstant(clock.instant(), point.timeZone());
      return bookings.activeAt(point.id(), today).compose(list -> tickets.byBookings(pool,
              list.stream().map(Booking::id).toList())
          .map(found -> json(point, today, list,
              found.stream().collect(Collectors.toMap(Ticket::bookingId, Function.identity(), (a, b) -> a)), caller)));
    });
  }

  private JsonObject json(ServicePoint point, LocalDate today, List<Booking> list, Map<UUID, Ticket> checkedIn,
                          Caller caller) {
    var rows = new JsonArray();
    for (Booking b : list) {
      boolean own = caller.belongsTo(b.organisationId());
      Ticket ticket = checkedIn.get(b.id());
      rows.add(new JsonObject()
          .put("start", Times.iso(b.start(), point.timeZone()))
          .put("end", Times.iso(b.end(), point.timeZone()))
          .put("service", new JsonObject().put("id", b.serviceId().toString()).put("nameSv", b.serviceNameSv())
              .put("nameEn", b.serviceNameEn()))
          .put("channel", b.channel())
          .put("ownOrganisation", own)
          .put("reference", own ? b.reference() : null)
          .put("name", own ? b.name() : null)
          .put("checkInFrom", Times.iso(b.start().minus(Duration.ofMinutes(policy.checkInEarlyMinutes())),
              point.timeZone()))
          .put("ticket", ticket == null ? null : new JsonObject().put("id", ticket.id().toString())
              .put("number", ticket.number()).put("status", ticket.status())));
    }
    return new JsonObject().put("servicePointId", point.id().toString()).put("date", today.toString())
        .put("timeZone", point.timeZone().getId()).put("bookings", rows);
  }
}
