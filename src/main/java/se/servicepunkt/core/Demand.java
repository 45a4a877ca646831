package se.servicepunkt.core;

import java.time.ZoneId;
import java.util.UUID;

/**
 * Where demand that met no service is told: a search that found no free time, a booking that lost
 * its time, a ticket refused because the point was closed. Only counts: no address, no identifier
 * of a person. Implementations must be cheap and never block (the statistics count in memory).
 */
public interface Demand {
  /** Availability was asked for; {@code found}: some free time was offered; {@code daysAhead} to the first day asked. */
  String SEARCH = "search";
  String SEARCH_EMPTY = "search_empty";
  /** A booking or a move lost its time to someone else. */
  String SLOT_LOST = "slot_lost";
  /** A walk-in ticket was refused because the point was closed. */
  String REFUSED_CLOSED = "refused_closed";

  /** Counts one {@code what} now, at {@code point} (in its {@code zone}), for the service on the channel. */
  void count(String what, UUID point, ZoneId zone, UUID service, String channel, int bucket);

  /** Counts nothing. */
  Demand NONE = (what, point, zone, service, channel, bucket) -> { };
}
