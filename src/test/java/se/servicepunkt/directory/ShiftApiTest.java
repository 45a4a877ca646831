package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

class ShiftApiTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;
  static String point;
  static String otherPoint;
  static String worker;
  static String workerToken;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    fx = new Fixtures(server);
    org = fx.organisation("Västerås stad");
    admin = fx.token(org, "admin");
    point = fx.servicePoint(admin, "Kontaktcenter Västerås", "office");
    String elsewhere = fx.organisation("Region Västmanland");
    otherPoint = fx.servicePoint(fx.token(elsewhere, "admin"), "Regionens servicepunkt", "office");
    var created = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "videohandlaggare@vasteras.example")
        .put("displayName", "Vera Video").put("password", "a-long-enough-password").put("roles", new JsonArray().add("staff"))));
    worker = created.getString("id");
    workerToken = server.signIn("videohandlaggare@vasteras.example", "a-long-enough-password");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject shift(LocalDate day, int fromHour, int toHour) {
    return new JsonObject().put("staffId", worker).put("servicePointId", point).put("channel", "video")
        .put("start", ZonedDateTime.of(day, LocalTime.of(fromHour, 0), STOCKHOLM).toOffsetDateTime().toString())
        .put("end", ZonedDateTime.of(day, LocalTime.of(toHour, 0), STOCKHOLM).toOffsetDateTime().toString());
  }

  @Test
  void adminsPlanShiftsThatNeverOverlapAndStaffSeeTheirOwn() {
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(2);
    var created = created(server.post("/api/v1/shifts", admin, shift(day, 8, 12)));
    assertEquals(ZonedDateTime.of(day, LocalTime.of(8, 0), STOCKHOLM).toOffsetDateTime().toString().replace("T08:00", "T08:00:00"),
        created.getString("start"));
    var before = DbSnapshot.of(server.pool());
    assertProblem(server.post("/api/v1/shifts", admin, shift(day, 11, 15)), 409);
    assertEquals(before, DbSnapshot.of(server.pool()));
    assertEquals(201, server.post("/api/v1/shifts", admin, shift(day, 12, 16)).statusCode(), "touching is not overlapping");

    var mine = server.get("/api/v1/shifts?from=" + day + "&to=" + day, workerToken).bodyAsJsonArray();
    assertEquals(2, mine.size());
    assertEquals(200, server.get("/api/v1/shifts/" + created.getString("id"), workerToken).statusCode());
    assertProblem(server.post("/api/v1/shifts", workerToken, shift(day.plusDays(1), 8, 12)), 403);
    assertEquals(0, server.get("/api/v1/shifts?from=" + day.plusDays(1) + "&to=" + day.plusDays(1), admin).bodyAsJsonArray().size());

    var moved = server.put("/api/v1/shifts/" + created.getString("id"), admin, shift(day, 7, 11));
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    assertProblem(server.put("/api/v1/shifts/" + created.getString("id"), admin, shift(day, 7, 13)), 409);
    assertEquals(204, server.delete("/api/v1/shifts/" + created.getString("id"), admin).statusCode());
    assertProblem(server.get("/api/v1/shifts/" + created.getString("id"), admin), 404);
  }

  @Test
  void parallelOverlappingShiftsForOnePersonCreateExactlyOne() {
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(40);
    var requests = new java.util.ArrayList<io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>>();
    for (int i = 0; i < 20; i++) {
      requests.add(server.client().post("/api/v1/shifts").putHeader("Authorization", "Bearer " + admin)
          .sendJsonObject(shift(day, 8 + i % 4, 13 + i % 4)));
    }
    io.vertx.core.Future.join(requests).await();
    var statuses = requests.stream().map(r -> r.result().statusCode()).toList();
    assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
    assertEquals(19, statuses.stream().filter(s -> s == 409).count(), statuses::toString);
    assertEquals(1, server.get("/api/v1/shifts?from=" + day + "&to=" + day, admin).bodyAsJsonArray().size());
  }

  @Test
  void aBatchIsCreatedWhollyOrNotAtAll() {
    LocalDate monday = LocalDate.now(STOCKHOLM).plusWeeks(2).with(java.time.DayOfWeek.MONDAY);
    var week = new JsonArray();
    for (int d = 0; d < 5; d++) {
      week.add(shift(monday.plusDays(d), 9, 16));
    }
    var clash = week.copy().add(shift(monday.plusDays(4), 15, 17));
    var before = DbSnapshot.of(server.pool());
    var overlap = assertProblem(server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", clash)), 409);
    assertTrue(overlap.getString("detail").startsWith("shifts[5] overlaps"), overlap::encode);
    assertInvalidFields(server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts",
        week.copy().add(new JsonObject().put("staffId", worker)))),
        "shifts[5].servicePointId", "shifts[5].channel", "shifts[5].start", "shifts[5].end");
    assertInvalidFields(server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", new JsonArray())), "shifts");
    assertEquals(before, DbSnapshot.of(server.pool()));
    var created = server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", week));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals(5, created.bodyAsJsonArray().size());
    assertEquals(5, server.get("/api/v1/shifts?servicePoint=" + point + "&from=" + monday + "&to=" + monday.plusDays(6), admin)
        .bodyAsJsonArray().size());
  }

  @Test
  void aShiftAcrossTheAutumnChangeIsListedWithTheRightOffsets() {
    var transition = STOCKHOLM.getRules().nextTransition(java.time.Instant.now());
    LocalDate change = transition.getDateTimeAfter().toLocalDate();
    var created = created(server.post("/api/v1/shifts", admin, shift(change, 0, 6)));
    var startOffset = ZonedDateTime.of(change, LocalTime.MIDNIGHT, STOCKHOLM).getOffset();
    var endOffset = ZonedDateTime.of(change, LocalTime.of(6, 0), STOCKHOLM).getOffset();
    assertEquals(change + "T00:00:00" + startOffset.getId(), created.getString("start"));
    assertEquals(change + "T06:00:00" + endOffset.getId(), created.getString("end"));
    var listed = server.get("/api/v1/shifts?from=" + change + "&to=" + change, admin).bodyAsJsonArray();
    assertEquals(1, listed.size(), "found by its local date");
    assertEquals(0, server.get("/api/v1/shifts?from=" + change.minusDays(1) + "&to=" + change.minusDays(1), admin)
        .bodyAsJsonArray().size());
  }

  @Test
  void badInputChangesNothing() {
    LocalDate day = LocalDate.now(STOCKHOLM).plusDays(20);
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post("/api/v1/shifts", admin, new JsonObject()),
        "staffId", "servicePointId", "channel", "start", "end");
    assertInvalidFields(server.post("/api/v1/shifts", admin, shift(day, 12, 8)), "end");
    assertInvalidFields(server.post("/api/v1/shifts", admin, shift(day, 8, 12).put("end", day.plusDays(1) + "T08:00:00+01:00")), "end");
    assertInvalidFields(server.post("/api/v1/shifts", admin, shift(day, 8, 12).put("start", day + "T08:00:00")
        .put("channel", "phone")), "start", "channel");
    assertInvalidFields(server.post("/api/v1/shifts", admin, shift(day, 8, 12).put("staffId", UUID.randomUUID().toString())), "staffId");
    assertInvalidFields(server.post("/api/v1/shifts", admin, shift(day, 8, 12).put("servicePointId", UUID.randomUUID().toString())),
        "servicePointId");
    assertProblem(server.post("/api/v1/shifts", admin, shift(day, 8, 12).put("servicePointId", otherPoint)), 409);
    assertInvalidFields(server.get("/api/v1/shifts?from=2026-01-01&to=2026-03-31", admin), "to");
    assertInvalidFields(server.get("/api/v1/shifts?from=2026-02-01&to=2026-01-01", admin), "to");
    assertInvalidFields(server.get("/api/v1/shifts?to=" + LocalDate.now(STOCKHOLM).plusDays(80), admin), "to");
    assertEquals(200, server.get("/api/v1/shifts?to=" + LocalDate.now(STOCKHOLM).plusDays(60), admin).statusCode());
    assertProblem(server.put("/api/v1/shifts/" + UUID.randomUUID(), admin, shift(day, 8, 12)), 404);
    assertEquals(before, DbSnapshot.of(server.pool()));
  }
}
