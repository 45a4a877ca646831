package se.servicepunkt.web;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.core.Problem;

/**
 * The open event streams of this instance, counted per ticket, per display token, per client
 * address and in all, so that one phone, one screen's token, one address or a crowd cannot hold
 * more than its share. A stream over a cap is refused before it starts: 429 over a ticket's,
 * a display's or an address's cap, 503 when the instance is full, both with {@code Retry-After}.
 * Shared by every event loop of the instance.
 */
public final class StreamLimits {
  /** What a stream follows; staff streams (signed in) count towards the instance only. */
  public enum Kind { TICKET, DISPLAY, STAFF }

  /** Seconds a refused stream waits before it tries again. */
  static final long RETRY_AFTER_SECONDS = 10;

  private final int perTicket;
  private final int perDisplay;
  private final int perAddress;
  private final int perInstance;
  private final ClientAddress addresses;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  public StreamLimits(int perTicket, int perDisplay, int perAddress, int perInstance, ClientAddress addresses) {
    this.perTicket = perTicket;
    this.perDisplay = perDisplay;
    this.perAddress = perAddress;
    this.perInstance = perInstance;
    this.addresses = addresses;
  }

  public static StreamLimits from(AppConfig config) {
    return new StreamLimits(config.streamsPerTicket(), config.streamsPerDisplay(), config.streamsPerAddress(),
        config.streamsPerInstance(), new ClientAddress(config.trustedProxies()));
  }

  /** One stream's place under the caps; {@link #release} it once the stream has closed. */
  public final class Slot {
    private final String[] keys;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(String... keys) {
      this.keys = keys;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        for (String key : keys) {
          give(key);
        }
        total.decrementAndGet();
      }
    }
  }

  /**
   * A place for one more stream of {@code kind} that follows {@code key} (the ticket's or display
   * token's id; null for staff), or a {@link Problem} thrown when a cap is reached.
   */
  public Slot acquire(RoutingContext ctx, Kind kind, String key) {
    if (total.incrementAndGet() > perInstance) {
      total.decrementAndGet();
      throw Problem.unavailable("This server holds as many event streams as it can; please try again shortly.",
          RETRY_AFTER_SECONDS);
    }
    if (kind == Kind.STAFF) {
      return new Slot();
    }
    String address = "address:" + addresses.of(ctx);
    if (!take(address, perAddress)) {
      total.decrementAndGet();
      throw Problem.tooManyRequests("Too many event streams are open from this address.", RETRY_AFTER_SECONDS);
    }
    String followed = kind.name().toLowerCase() + ":" + key;
    if (!take(followed, kind == Kind.TICKET ? perTicket : perDisplay)) {
      give(address);
      total.decrementAndGet();
      throw Problem.tooManyRequests(kind == Kind.TICKET
          ? "Too many event streams of this ticket are open; close one first."
          : "Too many screens use this display token; close one first.", RETRY_AFTER_SECONDS);
    }
    return new Slot(address, followed);
  }

  /** Open streams in all (for tests and metrics). */
  public int open() {
    return total.get();
  }

  private boolean take(String key, int cap) {
    boolean[] taken = {false};
    open.compute(key, (k, count) -> {
      int now = count == null ? 0 : count;
      if (now >= cap) {
        return count;
      }
      taken[0] = true;
      return now + 1;
    });
    return taken[0];
  }

  private void give(String key) {
    open.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
  }
}
