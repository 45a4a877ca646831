package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.servicepunkt.video.VideoMeetings;

/**
 * A visitor's place in the queue: position and estimated wait while waiting, and the meeting
 * link once a video visitor is called (admitted).
 */
final class Places {
  private final Pool pool;
  private final WaitingQueries queries;
  private final Paces paces;
  private final VideoMeetings video;
  private final Clock clock;

  /** @param video null when video meetings are not set up */
  Places(Pool pool, WaitingQueries queries, Paces paces, VideoMeetings video, Clock clock) {
    this.pool = pool;
    this.queries = queries;
    this.paces = paces;
    this.video = video;
    this.clock = clock;
  }

  /** The ticket as its visitor (or staff) sees it, with its place. */
  Future<JsonObject> status(Ticket ticket) {
    return of(pool, ticket.servicePointId(), List.of(ticket)).map(all -> ticket.toJson().mergeIn(all.get(ticket.id())));
  }

  /** Position, estimated wait and meeting link of several tickets of one point, in two queries at most. */
  Future<Map<UUID, JsonObject>> of(SqlClient db, UUID point, List<Ticket> tickets) {
    var answers = new HashMap<UUID, JsonObject>();
    var waitingIds = new ArrayList<UUID>();
    for (Ticket ticket : tickets) {
      answers.put(ticket.id(), new JsonObject().put("position", null).put("estimatedWaitMinutes", null)
          .put("videoLink", videoLink(ticket)));
      if (Ticket.WAITING.equals(ticket.status())) {
        waitingIds.add(ticket.id());
      }
    }
    if (waitingIds.isEmpty()) {
      return Future.succeededFuture(answers);
    }
    return Future.all(queries.places(db, point, waitingIds), paces.of(db, point)).map(all -> {
      List<WaitingQueries.Place> places = all.resultAt(0);
      List<Waiting.Pace> paces = all.resultAt(1);
      for (var place : places) {
        answers.get(place.ticketId()).put("position", place.ahead() + 1).put("estimatedWaitMinutes", paces.stream()
            .filter(w -> w.serviceId().equals(place.serviceId()) && w.channel().equals(place.channel()))
            .findFirst().map(w -> w.estimate(place.ahead())).orElse(null));
      }
      return answers;
    });
  }

  /** The meeting link of a video visitor who has been called (admitted), else null. */
  private String videoLink(Ticket ticket) {
    if (!ticket.video() || video == null || ticket.videoRoom() == null
        || !(Ticket.CALLED.equals(ticket.status()) || Ticket.SERVING.equals(ticket.status()))) {
      return null;
    }
    Instant from = ticket.calledAt() != null ? ticket.calledAt().toInstant() : clock.instant();
    return video.link(ticket.videoRoom(), from, from.plus(Duration.ofMinutes(ticket.durationMinutes())));
  }
}
