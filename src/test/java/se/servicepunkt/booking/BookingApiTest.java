package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

class BookingApiTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static TestServer server;
  static Fixtures fx;
  static String admin;
  static String point;
  static String deskService;
  static String videoService;
  static LocalDate oneResourceDay;
  static LocalDate threeResourceDay;
  static List<String> staff = new ArrayList<>();

  @BeforeAll
  static void start() {
    // The races below are about who gets a slot, not about load shedding (LimitsTest): fifty
    // bookings at once on a busy CI machine may wait longer than the default half second for a
    // connection, and a 503 there would say nothing about double bookings.
    server = TestServer.start(Map.of("videoUrlTemplate", "https://video.example.se/{room}", "dbAcquireTimeoutMs", 10_000));
    fx = new Fixtures(server);
    String org = fx.organisation("Huddinge kommun");
    admin = fx.token(org, "admin", "staff");
    point = fx.servicePoint(admin, "Medborgarkontor Flemingsberg", "office");
    fx.openEveryDay(admin, point, "08:00", "18:00");
    deskService = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Hjälp med ansökan")
        .put("nameEn", "Help with an application").put("ticketLetter", "H").put("durationMinutes", 30)
        .put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0).put("horizonDays", 366)
        .put("cancelCutoffMinutes", 120))).getString("id");
    videoService = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Vägledning")
        .put("nameEn", "Guidance").put("ticketLetter", "V").put("durationMinutes", 20)
        .put("channels", new JsonArray().add("video")).put("minNoticeMinutes", 0))).getString("id");
    for (String s : List.of(deskService, videoService)) {
      assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + s, admin, null).statusCode());
    }
    oneResourceDay = LocalDate.now(STOCKHOLM).plusDays(3);
    threeResourceDay = LocalDate.now(STOCKHOLM).plusDays(4);
    var shifts = new JsonArray();
    for (int i = 0; i < 3; i++) {
      String id = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "handlaggare" + i + "@huddinge.example")
          .put("displayName", "Handläggare " + i).put("password", "a-long-enough-password")
          .put("roles", new JsonArray().add("staff")))).getString("id");
      staff.add(id);
      server.put("/api/v1/staff/" + id + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(deskService).add(videoService)));
      shifts.add(shift(id, threeResourceDay, "desk", "08:00", "18:00"));
    }
    shifts.add(shift(staff.get(0), oneResourceDay, "desk", "08:00", "16:00"));
    shifts.add(shift(staff.get(1), oneResourceDay, "video", "08:00", "18:00"));
    assertEquals(201, server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", shifts)).statusCode());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject shift(String staffId, LocalDate day, String channel, String from, String to) {
    return new JsonObject().put("staffId", staffId).put("servicePointId", point).put("channel", channel)
        .put("start", at(day, from)).put("end", at(day, to));
  }

  static String at(LocalDate day, String time) {
    return ZonedDateTime.of(day, LocalTime.parse(time), STOCKHOLM).toOffsetDateTime().toString();
  }

  static JsonObject request(LocalDate day, String time) {
    return new JsonObject().put("servicePointId", point).put("serviceId", deskService).put("channel", "desk")
        .put("start", at(day, time)).put("name", "Karin Karlsson").put("email", "karin@example.se")
        .put("phone", "070-123 45 67").put("language", "sv").put("consent", true);
  }

  static List<String> freeTimes(LocalDate day, String service, String channel) {
    var response = server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service + "&channel=" + channel
        + "&from=" + day + "&to=" + day);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("slots").stream().map(s -> ((JsonObject) s).getString("time")).toList();
  }

  static HttpResponse<Buffer> withToken(io.vertx.core.http.HttpMethod method, String path, String token, Object body) {
    var request = server.client().request(method, path).putHeader("X-Manage-Token", token);
    return (body == null ? request.send() : request.sendJsonObject((JsonObject) body)).await();
  }

  @Test
  void aResidentBooksSeesTheCalendarFileAndCancelsWhichFreesTheSlot() throws Exception {
    assertTrue(freeTimes(oneResourceDay, deskService, "desk").contains("10:00"));
    var booking = created(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00")));
    String reference = booking.getString("reference");
    String token = booking.getString("manageToken");
    assertTrue(reference.matches("[A-Z2-9]{4}-[A-Z2-9]{4}"), reference);
    assertTrue(token.length() >= 43, "at least 256 bits");
    assertEquals(ZonedDateTime.of(oneResourceDay, LocalTime.of(10, 0), STOCKHOLM).toInstant(),
        ZonedDateTime.parse(booking.getString("start")).toInstant());
    assertTrue(booking.getString("start").endsWith(":00+01:00") || booking.getString("start").endsWith(":00+02:00"));
    assertFalse(freeTimes(oneResourceDay, deskService, "desk").contains("10:00"), "taken at once");
    var stored = server.sql("SELECT manage_token_hash FROM booking WHERE reference = $1", reference).iterator().next();
    assertFalse(new String(stored.getBuffer(0).getBytes()).contains(token), "only a hash of the token is stored");

    assertEquals(200, withToken(io.vertx.core.http.HttpMethod.GET, "/api/v1/bookings/" + reference, token, null).statusCode());
    assertProblem(withToken(io.vertx.core.http.HttpMethod.GET, "/api/v1/bookings/" + reference, "wrong", null), 404);
    assertProblem(server.get("/api/v1/bookings/" + reference), 401);

    VEvent event = event(server.get("/api/v1/bookings/" + reference + "/calendar.ics?token=" + token).bodyAsString());
    assertEquals(ZonedDateTime.of(oneResourceDay, LocalTime.of(10, 0), STOCKHOLM).toInstant(), instant(event, Property.DTSTART));
    assertEquals(ZonedDateTime.of(oneResourceDay, LocalTime.of(10, 30), STOCKHOLM).toInstant(), instant(event, Property.DTEND));
    String uid = event.getProperty(Property.UID).orElseThrow().getValue();
    assertEquals("0", event.getProperty(Property.SEQUENCE).orElseThrow().getValue());
    assertTrue(event.getProperty(Property.LOCATION).orElseThrow().getValue().contains("Medborgarkontor Flemingsberg"));
    assertTrue(event.getProperty(Property.URL).orElseThrow().getValue().contains("/manage/" + reference));

    var cancelled = withToken(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/bookings/" + reference, token, null);
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals("cancelled", cancelled.bodyAsJsonObject().getString("status"));
    assertTrue(freeTimes(oneResourceDay, deskService, "desk").contains("10:00"), "free again at once");
    VEvent after = event(server.get("/api/v1/bookings/" + reference + "/calendar.ics?token=" + token).bodyAsString());
    assertEquals(uid, after.getProperty(Property.UID).orElseThrow().getValue(), "the UID is stable");
    assertEquals("1", after.getProperty(Property.SEQUENCE).orElseThrow().getValue(), "SEQUENCE grows");
    assertEquals("CANCELLED", after.getProperty(Property.STATUS).orElseThrow().getValue());
    assertProblem(withToken(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/bookings/" + reference, token, null), 409);
  }

  @Test
  void availabilityKeptBetweenRequestsSeesChangesFromAnotherInstanceAndFromSqlAtOnce() {
    try (var second = server.another(Map.of())) {
      assertTrue(freeTimes(oneResourceDay, deskService, "desk").contains("13:00"));
      assertTrue(freeTimes(oneResourceDay, deskService, "desk").contains("13:00"), "now from what the first instance kept");
      var booking = created(second.post("/api/v1/bookings", null, request(oneResourceDay, "13:00")));
      assertFalse(freeTimes(oneResourceDay, deskService, "desk").contains("13:00"), "a booking made on another instance");
      server.sql("UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE reference = $1", booking.getString("reference"));
      assertTrue(freeTimes(oneResourceDay, deskService, "desk").contains("13:00"), "a change made in SQL");
    }
  }

  @Test
  void theManageLinkOpensAPageThatShowsTheBookingAndCancelsIt() {
    var booking = created(server.post("/api/v1/bookings", null, request(oneResourceDay, "14:30")));
    String reference = booking.getString("reference");
    String token = booking.getString("manageToken");
    assertTrue(booking.getString("manageUrl").endsWith("/manage/" + reference + "?token=" + token));
    var page = server.get("/manage/" + reference + "?token=" + token);
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    String html = page.bodyAsString().replace("&#61;", "="); // Mustache escapes '=' in attributes
    assertTrue(html.contains("Din bokning") && html.contains("Hjälp med ansökan") && html.contains("kl. 14.30–15.00"), html);
    assertTrue(html.contains("/api/v1/bookings/" + reference + "/calendar.ics?token="), html);
    assertTrue(html.contains("href=\"/manage/" + reference + "/avboka?token="), html);
    String confirm = server.get("/manage/" + reference + "/avboka?token=" + token).bodyAsString();
    assertTrue(confirm.contains("action=\"/manage/" + reference + "/cancel\""), confirm);
    assertEquals(404, server.get("/manage/" + reference + "?token=wrong").statusCode());
    assertTrue(server.get("/manage/" + reference).bodyAsString().contains("hittades inte"));

    var cancel = server.client().post("/manage/" + reference + "/cancel").followRedirects(false)
        .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("token", token)).await();
    assertEquals(303, cancel.statusCode(), cancel.bodyAsString());
    String after = server.get(cancel.getHeader("Location")).bodyAsString();
    assertTrue(after.contains("Avbokad") && after.contains("Din tid är avbokad"), after);
    assertEquals("cancelled", withToken(io.vertx.core.http.HttpMethod.GET, "/api/v1/bookings/" + reference, token, null)
        .bodyAsJsonObject().getString("status"));
    var again = server.client().post("/manage/" + reference + "/cancel").followRedirects(false)
        .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("token", token)).await();
    assertEquals(409, again.statusCode());
    var forged = server.client().post("/manage/" + reference + "/cancel").followRedirects(false)
        .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("token", "guess")).await();
    assertEquals(404, forged.statusCode());
  }

  @Test
  void directoryChangesShowInAvailabilityAndBookingAtOnceThoughTheDirectoryIsKeptInMemory() {
    LocalDate day = threeResourceDay.plusDays(1);
    for (String id : staff) {
      assertEquals(201, server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", new JsonArray()
          .add(shift(id, day, "desk", "08:00", "18:00")))).statusCode());
    }
    assertTrue(freeTimes(day, deskService, "desk").contains("09:00"));
    assertTrue(freeTimes(day, deskService, "desk").contains("09:00"), "read again, from memory");
    var closed = server.put("/api/v1/service-points/" + point + "/opening-exceptions/" + day, admin,
        new JsonObject().put("closed", true).put("reason", "Personaldag"));
    assertTrue(closed.statusCode() == 200 || closed.statusCode() == 201, closed.bodyAsString());
    assertEquals(List.of(), freeTimes(day, deskService, "desk"), "closed through the API");
    assertProblem(server.post("/api/v1/bookings", null, request(day, "09:00")), 422);
    server.sql("DELETE FROM opening_exception WHERE service_point_id = $1 AND day = $2", UUID.fromString(point), day);
    assertTrue(freeTimes(day, deskService, "desk").contains("09:00"), "opened again in SQL");
    server.sql("UPDATE service SET duration_minutes = 45 WHERE id = $1", UUID.fromString(deskService));
    try {
      assertTrue(freeTimes(day, deskService, "desk").contains("08:45"), "a changed service duration");
    } finally {
      server.sql("UPDATE service SET duration_minutes = 30 WHERE id = $1", UUID.fromString(deskService));
    }
  }

  @Test
  void fiftyResidentsRacingForOneSlotWithOneFreePersonGetOneBooking() {
    assertEquals(List.of(1L, 49L), race(oneResourceDay, "14:00", 50));
    assertEquals(1L, activeAt(oneResourceDay, "14:00"));
  }

  @Test
  void fiftyResidentsRacingForOneSlotWithThreeFreePeopleGetThreeBookings() {
    assertEquals(List.of(3L, 47L), race(threeResourceDay, "14:00", 50));
    assertEquals(3L, activeAt(threeResourceDay, "14:00"));
    assertEquals(0L, server.sql("""
        SELECT count(*) FROM booking a JOIN booking b ON a.staff_id = b.staff_id AND a.id < b.id
        WHERE a.status = 'active' AND b.status = 'active' AND a.period && b.period""").iterator().next().getLong(0),
        "no double bookings anywhere");
  }

  /** Sends {@code n} bookings for one slot at once; returns [201s, 409s]. */
  static List<Long> race(LocalDate day, String time, int n) {
    var responses = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (int i = 0; i < n; i++) {
      responses.add(server.client().post("/api/v1/bookings").sendJsonObject(request(day, time).put("name", "Resident " + i)));
    }
    Future.join(responses).await();
    var statuses = responses.stream().map(r -> r.result().statusCode()).toList();
    assertEquals(n, statuses.stream().filter(s -> s == 201 || s == 409).count(), statuses::toString);
    return List.of(statuses.stream().filter(s -> s == 201).count(), statuses.stream().filter(s -> s == 409).count());
  }

  static long activeAt(LocalDate day, String time) {
    return server.sql("SELECT count(*) FROM booking WHERE status = 'active' AND lower(period) = $1",
        java.time.OffsetDateTime.parse(at(day, time))).iterator().next().getLong(0);
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyGetsTheFirstAnswer() {
    String key = UUID.randomUUID().toString();
    var body = request(threeResourceDay, "09:00");
    var first = server.client().post("/api/v1/bookings").putHeader("Idempotency-Key", key).sendJsonObject(body).await();
    assertEquals(201, first.statusCode(), first.bodyAsString());
    var retries = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (int i = 0; i < 10; i++) {
      retries.add(server.client().post("/api/v1/bookings").putHeader("Idempotency-Key", key).sendJsonObject(body));
    }
    Future.join(retries).await();
    for (var retry : retries) {
      assertEquals(201, retry.result().statusCode());
      assertEquals(first.bodyAsJsonObject().getString("reference"), retry.result().bodyAsJsonObject().getString("reference"));
      assertEquals(first.bodyAsJsonObject().getString("manageToken"), retry.result().bodyAsJsonObject().getString("manageToken"));
    }
    assertEquals(1L, activeAt(threeResourceDay, "09:00"));
    assertEquals(0L, server.sql("SELECT count(*) FROM idempotent_request WHERE position($1::bytea IN response) > 0",
        Buffer.buffer(first.bodyAsJsonObject().getString("manageToken"))).iterator().next().getLong(0),
        "the stored answer is encrypted");
    var other = server.client().post("/api/v1/bookings").putHeader("Idempotency-Key", key)
        .sendJsonObject(request(threeResourceDay, "09:30")).await();
    assertInvalidFields(other, "Idempotency-Key");
  }

  @Test
  void parallelFirstRequestsWithOneKeyMakeOneBooking() {
    String key = UUID.randomUUID().toString();
    var body = request(threeResourceDay, "15:00");
    var all = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (int i = 0; i < 10; i++) {
      all.add(server.client().post("/api/v1/bookings").putHeader("Idempotency-Key", key).sendJsonObject(body));
    }
    Future.join(all).await();
    var references = all.stream().map(r -> r.result().bodyAsJsonObject().getString("reference")).distinct().toList();
    assertEquals(1, references.size(), references::toString);
    assertEquals(1L, activeAt(threeResourceDay, "15:00"));
  }

  @Test
  void reschedulingTakesTheNewTimeAndReleasesTheOldOneOrChangesNothing() {
    var booking = created(server.post("/api/v1/bookings", null, request(oneResourceDay, "11:00")));
    String path = "/api/v1/bookings/" + booking.getString("reference");
    String token = booking.getString("manageToken");
    var moved = withToken(io.vertx.core.http.HttpMethod.POST, path + "/reschedule", token,
        new JsonObject().put("start", at(oneResourceDay, "11:30")));
    assertEquals(200, moved.statusCode(), moved.bodyAsString());
    assertEquals(1, moved.bodyAsJsonObject().getInteger("sequence"));
    var free = freeTimes(oneResourceDay, deskService, "desk");
    assertTrue(free.contains("11:00") && !free.contains("11:30"));

    created(server.post("/api/v1/bookings", null, request(oneResourceDay, "12:00")));
    var before = DbSnapshot.of(server.pool());
    assertProblem(withToken(io.vertx.core.http.HttpMethod.POST, path + "/reschedule", token,
        new JsonObject().put("start", at(oneResourceDay, "12:00"))), 409);
    assertInvalidFields(withToken(io.vertx.core.http.HttpMethod.POST, path + "/reschedule", token,
        new JsonObject().put("start", at(oneResourceDay, "12:10"))), "start");
    assertEquals(before, DbSnapshot.of(server.pool()), "the old booking is untouched");
  }

  @Test
  void twoBookingsRacingToMoveIntoOneFreeSlotLeaveOneThere() {
    var a = created(server.post("/api/v1/bookings", null, request(oneResourceDay, "08:00")));
    var b = created(server.post("/api/v1/bookings", null, request(oneResourceDay, "08:30")));
    var moves = new ArrayList<Future<HttpResponse<Buffer>>>();
    for (var booking : List.of(a, b)) {
      moves.add(server.client().post("/api/v1/bookings/" + booking.getString("reference") + "/reschedule")
          .putHeader("X-Manage-Token", booking.getString("manageToken"))
          .sendJsonObject(new JsonObject().put("start", at(oneResourceDay, "15:30"))));
    }
    Future.join(moves).await();
    var statuses = moves.stream().map(m -> m.result().statusCode()).sorted().toList();
    assertEquals(List.of(200, 409), statuses);
    assertEquals(1L, activeAt(oneResourceDay, "15:30"));
    assertEquals(1L, activeAt(oneResourceDay, "08:00") + activeAt(oneResourceDay, "08:30"), "the loser kept its old time");
  }

  @Test
  void aVideoBookingGetsAnUnguessableMeetingLink() throws Exception {
    assertTrue(freeTimes(oneResourceDay, videoService, "video").contains("09:00"));
    var booking = created(server.post("/api/v1/bookings", null, request(oneResourceDay, "09:00")
        .put("serviceId", videoService).put("channel", "video").put("language", "en")));
    String link = booking.getString("videoLink");
    assertTrue(link.matches("https://video\\.example\\.se/sp-[0-9a-f]{32}"), link);
    VEvent event = event(server.get("/api/v1/bookings/" + booking.getString("reference") + "/calendar.ics?token="
        + booking.getString("manageToken")).bodyAsString());
    assertEquals(link, event.getProperty(Property.LOCATION).orElseThrow().getValue());
    assertTrue(event.getProperty(Property.SUMMARY).orElseThrow().getValue().startsWith("Guidance"), "in the booking's language");
  }

  @Test
  void residentsCannotCancelAfterTheCutOffButStaffCan() {
    LocalDate today = LocalDate.now(STOCKHOLM);
    var soon = ZonedDateTime.now(STOCKHOLM).plusMinutes(90);
    String day = soon.toLocalDate().toString();
    // A slot an hour and a half from now is inside the 120-minute cut-off.
    String staffId = staff.get(2);
    var shift = server.post("/api/v1/shifts", admin, new JsonObject().put("staffId", staffId).put("servicePointId", point)
        .put("channel", "desk").put("start", soon.minusHours(1).toOffsetDateTime().toString())
        .put("end", soon.plusHours(2).toOffsetDateTime().toString()));
    assertEquals(201, shift.statusCode(), shift.bodyAsString());
    var slots = server.get("/api/v1/availability?servicePoint=" + point + "&service=" + deskService + "&from=" + today
        + "&to=" + day).bodyAsJsonObject().getJsonArray("slots");
    var slot = slots.stream().map(s -> (JsonObject) s)
        .filter(s -> ZonedDateTime.parse(s.getString("start")).isAfter(ZonedDateTime.now(STOCKHOLM).plusMinutes(30))
            && ZonedDateTime.parse(s.getString("start")).isBefore(ZonedDateTime.now(STOCKHOLM).plusMinutes(110)))
        .findFirst();
    if (slot.isEmpty()) {
      return; // late in the evening no slot falls inside the cut-off window today; the rule is tested elsewhere
    }
    var booking = created(server.post("/api/v1/bookings", null, request(today, "08:00").put("start", slot.get().getString("start"))));
    assertFalse(booking.getBoolean("changeable"));
    String path = "/api/v1/bookings/" + booking.getString("reference");
    assertProblem(withToken(io.vertx.core.http.HttpMethod.DELETE, path, booking.getString("manageToken"), null), 409);
    var byStaff = server.delete(path, admin);
    assertEquals(200, byStaff.statusCode(), byStaff.bodyAsString());
  }

  @Test
  void staffBookByPhoneAndSeeOnlyTheirOrganisationsBookings() {
    var byPhone = created(server.post("/api/v1/bookings", admin, request(threeResourceDay, "17:00").put("name", "Telefonbokning")));
    assertEquals(200, server.get("/api/v1/bookings/" + byPhone.getString("reference"), admin).statusCode());
    var listed = server.get("/api/v1/bookings?servicePoint=" + point + "&from=" + threeResourceDay + "&to=" + threeResourceDay, admin)
        .bodyAsJsonArray();
    assertTrue(listed.stream().anyMatch(b -> byPhone.getString("reference").equals(((JsonObject) b).getString("reference"))));
    assertEquals(byPhone.getString("reference"), server.sql("SELECT reference FROM booking WHERE created_by IS NOT NULL")
        .iterator().next().getString(0));
    String other = fx.token(fx.organisation("Botkyrka kommun"), "admin");
    assertEquals(0, server.get("/api/v1/bookings?from=" + threeResourceDay + "&to=" + threeResourceDay, other).bodyAsJsonArray().size());
    assertProblem(server.get("/api/v1/bookings/" + byPhone.getString("reference"), other), 404);
    assertProblem(server.delete("/api/v1/bookings/" + byPhone.getString("reference"), other), 404);
    assertProblem(server.get("/api/v1/bookings"), 401);
    assertInvalidFields(server.get("/api/v1/bookings?from=2026-01-01&to=2026-12-31", admin), "to");
  }

  @Test
  void theRetentionJobRemovesPersonalDataOfPastBookingsOnly() {
    var booking = created(server.post("/api/v1/bookings", null, request(threeResourceDay, "16:00")));
    server.sql("""
        INSERT INTO booking (reference, manage_token_hash, service_point_id, service_id, staff_id, channel, period,
                             language, name, email, phone)
        SELECT 'OLD1-OLD1', '\\x00', service_point_id, service_id, staff_id, channel,
               tstzrange(now() - interval '40 days', now() - interval '40 days' + interval '30 minutes'),
               'sv', 'Old Resident', 'old@example.se', '070-000 00 00'
        FROM booking WHERE reference = $1""", booking.getString("reference"));
    int anonymised = new RetentionJob(server.app().vertx(), server.pool(), 30).run().await();
    assertTrue(anonymised >= 1);
    var old = server.sql("SELECT name, email, phone, anonymised_at, service_id, period FROM booking WHERE reference = 'OLD1-OLD1'")
        .iterator().next();
    assertEquals(null, old.getString("name"));
    assertEquals(null, old.getString("email"));
    assertEquals(null, old.getString("phone"));
    assertTrue(old.getOffsetDateTime("anonymised_at") != null && old.getUUID("service_id") != null,
        "the anonymous facts stay");
    var current = server.sql("SELECT name FROM booking WHERE reference = $1", booking.getString("reference")).iterator().next();
    assertEquals("Karin Karlsson", current.getString("name"), "future bookings keep their data");
  }

  @Test
  void badInputGetsProblemsAndWritesNothing() {
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post("/api/v1/bookings", null, new JsonObject()),
        "servicePointId", "serviceId", "channel", "start", "name", "email", "consent");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00").put("serviceId", UUID.randomUUID().toString())),
        "serviceId");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00").put("channel", "video")), "channel");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:10")), "start");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "07:30")), "start");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(LocalDate.now(STOCKHOLM).minusDays(1), "10:00")), "start");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00").put("start", "2026-12-01T10:00")), "start");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00").put("email", "karin@")), "email");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00").put("consent", false)), "consent");
    var withoutConsent = request(oneResourceDay, "10:00");
    withoutConsent.remove("consent");
    assertInvalidFields(server.post("/api/v1/bookings", null, withoutConsent), "consent");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(oneResourceDay, "10:00").put("phone", "call me")
        .put("language", "de")), "phone", "language");
    assertInvalidFields(server.post("/api/v1/bookings", null, request(LocalDate.now(STOCKHOLM).plusDays(400), "10:00")), "start");
    assertProblem(server.client().post("/api/v1/bookings").putHeader("Idempotency-Key", "has spaces")
        .sendJsonObject(request(oneResourceDay, "10:00")).await(), 400);
    assertInvalidFields(server.get("/api/v1/availability?servicePoint=" + point + "&service=" + deskService
        + "&from=2026-01-01&to=2026-06-01"), "to");
    assertInvalidFields(server.get("/api/v1/availability"), "servicePoint", "service", "from", "to");
    assertInvalidFields(server.get("/api/v1/availability?servicePoint=" + UUID.randomUUID() + "&service=" + deskService
        + "&from=" + oneResourceDay + "&to=" + oneResourceDay), "servicePoint");
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  static VEvent event(String ics) throws Exception {
    assertTrue(ics.contains("\r\n"), "CRLF line ends");
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
    return (VEvent) calendar.getComponent("VEVENT").orElseThrow();
  }

  static java.time.Instant instant(VEvent event, String property) {
    Temporal value = ((net.fortuna.ical4j.model.property.DateProperty<?>) event.getProperty(property).orElseThrow()).getDate();
    assertNotEquals(null, value);
    return value instanceof ZonedDateTime z ? z.toInstant() : java.time.Instant.from(value);
  }
}
