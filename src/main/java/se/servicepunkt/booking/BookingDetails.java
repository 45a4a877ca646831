package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * More that staff see of a booking, kept by features built on bookings (e.g. the e-mails sent
 * about it and their delivery). Booking asks for it without knowing what it is.
 */
public interface BookingDetails {
  /** None. */
  BookingDetails NONE = (booking, view) -> Future.succeededFuture(view);

  /** Adds what this feature keeps about {@code booking} to staff's {@code view} of it, and returns the view. */
  Future<JsonObject> addTo(Booking booking, JsonObject view);
}
