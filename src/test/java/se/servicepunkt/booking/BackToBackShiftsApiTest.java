package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/** A member of staff on two back-to-back shifts can be booked across the change of shift. */
class BackToBackShiftsApiTest {
  static final TestClock CLOCK = new TestClock(Instant.parse("2027-01-20T09:00:00Z"));
  static final String DAY = "2027-02-01";
  static TestServer server;
  static String point;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(), CLOCK);
    var fx = new Fixtures(server);
    String admin = fx.token(fx.organisation("Skiftkommunen"), "admin");
    point = fx.servicePoint(admin, "Medborgarkontoret", "office");
    fx.openEveryDay(admin, point, "10:30", "14:00");
    service = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Rådgivning")
        .put("nameEn", "Advice").put("ticketLetter", "R").put("durationMinutes", 35)
        .put("channels", new JsonArray().add("desk").add("video")).put("minNoticeMinutes", 0))).getString("id");
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + service, admin, null).statusCode());
    String person = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "skift@skift.example")
        .put("displayName", "Skift Personal").put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("staff")))).getString("id");
    server.put("/api/v1/staff/" + person + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(service)));
    var shifts = new JsonArray()
        .add(shift(person, "desk", DAY + "T00:00:00+01:00", DAY + "T12:00:00+01:00"))
        .add(shift(person, "desk", DAY + "T12:00:00+01:00", "2027-02-02T00:00:00+01:00"))
        .add(shift(person, "desk", "2027-02-02T00:00:00+01:00", "2027-02-02T12:00:00+01:00"))
        .add(shift(person, "video", "2027-02-02T12:00:00+01:00", "2027-02-03T00:00:00+01:00"));
    var answer = server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", shifts));
    assertEquals(201, answer.statusCode(), answer.bodyAsString());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject shift(String person, String channel, String start, String end) {
    return new JsonObject().put("staffId", person).put("servicePointId", point).put("channel", channel)
        .put("start", start).put("end", end);
  }

  static List<String> freeTimes(String day, String channel) {
    var answer = server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service + "&channel=" + channel
        + "&from=" + day + "&to=" + day);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonArray("slots").stream().map(s -> ((JsonObject) s).getString("time")).toList();
  }

  @Test
  void aSlotAcrossTheChangeOfShiftIsOfferedAndCanBeBooked() {
    assertEquals(List.of("10:30", "11:05", "11:40", "12:15", "12:50", "13:25"), freeTimes(DAY, "desk"));
    var booked = server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", point)
        .put("serviceId", service).put("channel", "desk").put("start", DAY + "T11:40:00+01:00").put("name", "Karin Karlsson")
        .put("email", "karin@example.se").put("language", "sv").put("consent", true));
    assertEquals(201, booked.statusCode(), booked.bodyAsString());
    assertEquals(List.of("10:30", "11:05", "12:15", "12:50", "13:25"), freeTimes(DAY, "desk"));
  }

  @Test
  void shiftsOnDifferentChannelsDoNotJoin() {
    assertEquals(List.of("10:30", "11:05"), freeTimes("2027-02-02", "desk"));
    assertEquals(List.of("12:15", "12:50", "13:25"), freeTimes("2027-02-02", "video"));
  }
}
