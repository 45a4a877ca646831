package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Availability through the API on fixed daylight-saving nights in Europe/Stockholm, each asked
 * for some days ahead on a test clock, so the test checks the same nights whatever day it runs.
 */
class AvailabilityDstTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  /** Change nights: autumn 2026, spring 2027, autumn 2027. */
  static final List<LocalDate> NIGHTS = List.of(LocalDate.parse("2026-10-25"), LocalDate.parse("2027-03-28"),
      LocalDate.parse("2027-10-31"));
  static final TestClock CLOCK = new TestClock(NIGHTS.get(0).minusDays(10).atStartOfDay(STOCKHOLM).toInstant());
  static TestServer server;
  static String point;
  static String service;
  static String admin;
  static String person;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(), CLOCK);
    var fx = new Fixtures(server);
    String org = fx.organisation("Jourkommunen");
    admin = fx.token(org, "admin");
    point = fx.servicePoint(admin, "Nattöppet kontor", "office");
    fx.openEveryDay(admin, point, "01:00", "05:00");
    service = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Nattärende")
        .put("nameEn", "Night errand").put("ticketLetter", "N").put("durationMinutes", 30)
        .put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0).put("horizonDays", 366))).getString("id");
    server.put("/api/v1/service-points/" + point + "/services/" + service, admin, null);
    person = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "natt@jour.example")
        .put("displayName", "Natt Personal").put("password", "a-long-enough-password")
        .put("roles", new JsonArray().add("staff")))).getString("id");
    server.put("/api/v1/staff/" + person + "/skills", admin, new JsonObject().put("serviceIds", new JsonArray().add(service)));
    for (LocalDate night : NIGHTS) {
      var shift = server.post("/api/v1/shifts", admin, new JsonObject().put("staffId", person).put("servicePointId", point)
          .put("channel", "desk").put("start", ZonedDateTime.of(night, LocalTime.MIDNIGHT, STOCKHOLM).toOffsetDateTime().toString())
          .put("end", ZonedDateTime.of(night, LocalTime.of(6, 0), STOCKHOLM).toOffsetDateTime().toString()));
      assertEquals(201, shift.statusCode(), shift.bodyAsString());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theChangeNightsHaveNoMissingAndNoDoubledSlots() {
    var rules = STOCKHOLM.getRules();
    for (LocalDate night : NIGHTS) {
      var transition = rules.nextTransition(night.atStartOfDay(STOCKHOLM).toInstant());
      assertEquals(night, transition.getDateTimeBefore().toLocalDate(), "the clocks change on " + night);
      assertEquals(night.getMonthValue() == 3, transition.isGap(), night + ": forward in March, back in October");
      CLOCK.set(night.minusDays(10).atStartOfDay(STOCKHOLM).toInstant());
      var slots = server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service + "&from=" + night
          + "&to=" + night).bodyAsJsonObject().getJsonArray("slots");
      var times = slots.stream().map(s -> ((JsonObject) s).getString("time")).toList();
      var starts = slots.stream().map(s -> ZonedDateTime.parse(((JsonObject) s).getString("start")).toInstant()).toList();
      assertEquals(starts.size(), starts.stream().distinct().count(), "no instant twice");
      assertEquals(times.size(), times.stream().distinct().count(), night + ": no clock time twice: " + times);
      if (transition.isGap()) {
        assertEquals(List.of("01:00", "01:30", "03:00", "03:30", "04:00", "04:30"), times, night + ": nothing in the skipped hour");
      } else {
        assertEquals(List.of("01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00", "04:30"), times, night.toString());
      }
      String oneAm = slots.getJsonObject(0).getString("start");
      String lastStart = slots.getJsonObject(slots.size() - 1).getString("start");
      assertEquals(transition.getOffsetBefore().getId(), oneAm.substring(oneAm.length() - 6));
      assertEquals(transition.getOffsetAfter().getId(), lastStart.substring(lastStart.length() - 6));
      assertTrue(slots.getJsonObject(0).getString("date").equals(night.toString()));
    }
  }
}
