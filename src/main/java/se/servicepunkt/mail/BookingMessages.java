package se.servicepunkt.mail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import se.servicepunkt.booking.Booking;
import se.servicepunkt.booking.BookingDetails;

/** What staff see of a booking's e-mails: each message and its delivery status, as {@code messages}. */
public final class BookingMessages implements BookingDetails {
  private final SqlClient db;
  private final MailOutbox outbox;

  public BookingMessages(SqlClient db, MailOutbox outbox) {
    this.db = db;
    this.outbox = outbox;
  }

  @Override
  public Future<JsonObject> addTo(Booking booking, JsonObject view) {
    return outbox.of(db, booking.id()).map(messages -> view.put("messages",
        new JsonArray(messages.stream().map(MailOutbox.Status::toJson).toList())));
  }
}
