package se.servicepunkt.booking;

import io.vertx.core.Future;
import java.util.UUID;
import se.servicepunkt.core.Problem;

/**
 * Checking a booked visitor in: turning the booking into a ticket in its point's live queue (or the
 * virtual waiting room of a video meeting). The queue, built on bookings, does it; the manage page
 * asks for it without knowing the queue (wired in the composition root, as {@link BookingDetails}).
 */
public interface CheckIns {
  /** None: no check-in on this server. */
  CheckIns NONE = new CheckIns() {
    @Override
    public boolean open(Booking booking) {
      return false;
    }

    @Override
    public Future<Ticket> checkIn(String reference, String token) {
      return Future.failedFuture(Problem.conflict("Check-in is not available."));
    }
  };

  /** The ticket a check-in gave, and its token (shown once), for the ticket page's link. */
  record Ticket(UUID id, String token) {
  }

  /** Whether the resident may check in now (the booking's day, from the check-in window's opening). */
  boolean open(Booking booking);

  /** Checks the booking in with its manage token; 409 when it is not the time, or it is checked in already. */
  Future<Ticket> checkIn(String reference, String token);
}
