package se.servicepunkt.queue;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Waiting visitors of one service on one channel at a point, and how fast that queue moves. */
record Waiting(UUID serviceId, String channel, int waiting, int openCounters, double minutesPerVisitor) {
  /** How fast one service's queue on one channel moves: its open counters and minutes per visitor. */
  record Pace(UUID serviceId, String channel, int openCounters, double minutesPerVisitor) {
    /** Minutes until a visitor with {@code ahead} people in front of them is called; null when no counter serves it. */
    Integer estimate(int ahead) {
      return openCounters == 0 ? null : (int) Math.ceil(ahead * minutesPerVisitor / openCounters);
    }
  }

  /** Minutes until a visitor with {@code ahead} people in front of them is called; null when no counter serves it. */
  Integer estimate(int ahead) {
    return new Pace(serviceId, channel, openCounters, minutesPerVisitor).estimate(ahead);
  }

  JsonObject toJson() {
    return new JsonObject().put("serviceId", serviceId.toString()).put("channel", channel).put("waiting", waiting)
        .put("openCounters", openCounters).put("estimatedWaitMinutes", estimate(waiting));
  }
}
