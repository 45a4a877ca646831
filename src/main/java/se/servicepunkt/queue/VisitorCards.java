package se.servicepunkt.queue;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a waiting visitor's ticket shows besides their place (number, service, channel and the
 * like), as an instance last read it, with the version it was read at (the row versions of the
 * ticket, its service, counter and point, see {@link WaitingQueries#versionedPlaces}). A read of
 * every visitor at a point needs the rows only of those whose version changed: a waiting ticket's
 * row seldom does, while its place changes with every call. Bounded and forgotten after a while
 * unread, so tickets that left are dropped without bookkeeping.
 */
final class VisitorCards {
  private record Card(String version, JsonObject ticket) {
  }

  private final Cache<UUID, Card> cards = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterAccess(Duration.ofMinutes(30)).build();
  private final AtomicLong reused = new AtomicLong();

  /** The ticket's fields as read at {@code version}, or null when they were not, or at another version. */
  JsonObject at(UUID ticket, String version) {
    Card card = cards.getIfPresent(ticket);
    if (card == null || !card.version().equals(version)) {
      return null;
    }
    reused.incrementAndGet();
    return card.ticket();
  }

  /** How many states came from a kept card instead of the ticket's row (for tests). */
  long reused() {
    return reused.get();
  }

  /** Keeps a waiting ticket's fields as read at {@code version} (never changed afterwards: callers copy). */
  void keep(UUID ticket, String version, JsonObject fields) {
    cards.put(ticket, new Card(version, fields));
  }

  /** Forgets a ticket that no longer waits. */
  void forget(UUID ticket) {
    cards.invalidate(ticket);
  }
}
