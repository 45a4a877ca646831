package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.LiveEvent;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * A change's events and its shared-row statements go with the commit, in one pipeline: when any
 * of them fails, nothing of the change is kept and no event is published (PostgreSQL answers the
 * COMMIT of a failed transaction with a rollback, not an error); when they succeed, the events
 * are published once, after the commit, with ids in commit order.
 */
class QueueChangesTest {
  static TestServer server;
  static UUID point;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of());
    var fx = new Fixtures(server);
    String org = fx.organisation("Region Gotland");
    String admin = fx.token(org, "admin", "staff");
    point = UUID.fromString(new Lobby(server, fx, org, admin, "Servicepunkt Hemse").point);
    server.sql("CREATE TABLE change_probe (point uuid, n int)");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private QueueChanges changes(List<LiveEvent> published) {
    return new QueueChanges(server.pool(), new EventStore(), published::add);
  }

  private static Future<Void> probe(QueueChanges.Change change, int n) {
    return change.tx().preparedQuery("INSERT INTO change_probe VALUES ($1, $2)").execute(Tuple.of(point, n)).mapEmpty();
  }

  private static long probes(int n) {
    return server.sql("SELECT count(*) FROM change_probe WHERE n = $1", n).iterator().next().getLong(0);
  }

  @Test
  void aStatementSentWithTheCommitThatFailsUndoesTheWholeChangeAndPublishesNothing() {
    var published = Collections.synchronizedList(new ArrayList<LiveEvent>());
    long before = lastEventId();
    var failure = assertThrows(Exception.class, () -> changes(published).run(change -> probe(change, 1)
        .compose(v -> change.counter(new StaffedCounter(UUID.randomUUID(), point, UUID.randomUUID(), "Lucka 1", "desk",
            null, null, List.of("desk"), null, null, null), "counter-opened"))
        .onSuccess(v -> change.atCommit(tx -> tx.query("SELECT 1 / 0").execute()))).await());
    assertTrue(String.valueOf(failure.getMessage()).contains("division by zero"), failure::toString);
    assertEquals(0, probes(1), "the change's own statement was rolled back");
    assertEquals(before, lastEventId(), "no event id was taken");
    assertTrue(published.isEmpty(), "nothing was published");
  }

  @Test
  void concurrentChangesPublishTheirEventsOnceAfterCommitInIdOrderWithoutGaps() {
    var published = Collections.synchronizedList(new ArrayList<LiveEvent>());
    var changes = changes(published);
    long before = lastEventId();
    var counter = new StaffedCounter(UUID.randomUUID(), point, UUID.randomUUID(), "Lucka 2", "desk", null, null,
        List.of("desk"), null, null, null);
    Future.all(IntStream.range(0, 40).mapToObj(i -> changes.run(change -> probe(change, 2)
        .compose(v -> change.counter(counter, "counter-paused")))).toList()).await();
    assertEquals(40, probes(2));
    assertEquals(before + 40, lastEventId());
    var ids = published.stream().filter(e -> e.stream().equals(point)).map(LiveEvent::id).sorted().toList();
    assertEquals(rangeOf(before + 1, before + 40), ids, "each event published once, ids without gaps");
    long stored = server.sql("SELECT count(*) FROM queue_event WHERE service_point_id = $1 AND id > $2", point, before)
        .iterator().next().getLong(0);
    assertEquals(40, stored);
  }

  private static List<Long> rangeOf(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static long lastEventId() {
    return server.sql("SELECT coalesce((SELECT last_event_id FROM queue_state WHERE service_point_id = $1), 0)", point)
        .iterator().next().getLong(0);
  }
}
