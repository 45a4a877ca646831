package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * Bookings made through the API on the nights of 2027 that the clocks change, and their calendar
 * files both as downloaded ({@code GET /api/v1/bookings/{ref}/calendar.ics}) and as the e-mails
 * carry them (the invitation and the cancellation): ical4j and biweekly read the booked instants.
 */
class CalendarFileApiTest {
  static final TestClock CLOCK = new TestClock(Instant.parse("2027-03-01T09:00:00Z"));
  static TestServer server;
  static String point;
  static String shortService;
  static String longService;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(), CLOCK);
    var fx = new Fixtures(server);
    String admin = fx.token(fx.organisation("Jourkommunen"), "admin");
    point = fx.servicePoint(admin, "Nattöppet kontor", "office");
    fx.openEveryDay(admin, point, "01:00", "05:00");
    shortService = service(admin, "Nattärende", 30);
    longService = service(admin, "Långt nattärende", 180);
    var shifts = new JsonArray();
    for (int i = 0; i < 2; i++) {
      String person = created(server.post("/api/v1/staff", admin, new JsonObject().put("email", "natt" + i + "@jour.example")
          .put("displayName", "Natt Personal " + i).put("password", "a-long-enough-password")
          .put("roles", new JsonArray().add("staff")))).getString("id");
      server.put("/api/v1/staff/" + person + "/skills", admin,
          new JsonObject().put("serviceIds", new JsonArray().add(shortService).add(longService)));
      for (String night : List.of("2027-03-28", "2027-10-31")) {
        shifts.add(new JsonObject().put("staffId", person).put("servicePointId", point).put("channel", "desk")
            .put("start", night + "T00:00:00+01:00").put("end", night + "T06:00:00+01:00"));
      }
    }
    assertEquals(201, server.post("/api/v1/shifts/batch", admin, new JsonObject().put("shifts", shifts)).statusCode());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String service(String admin, String name, int minutes) {
    String id = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", name)
        .put("nameEn", name).put("ticketLetter", "N").put("durationMinutes", minutes)
        .put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0).put("horizonDays", 366))).getString("id");
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + id, admin, null).statusCode());
    return id;
  }

  @Test
  void theCalendarFilesOfBookingsOnTheChangeNightsHoldTheBookedInstants() throws Exception {
    record Case(String why, String service, String start, String end) {
    }
    for (Case c : List.of(
        new Case("ends as the clocks jump to 03:00", shortService, "2027-03-28T01:30:00+01:00", "2027-03-28T03:00:00+02:00"),
        new Case("the first 02:30 of the repeated hour", shortService, "2027-10-31T02:30:00+02:00", "2027-10-31T02:00:00+01:00"),
        new Case("spans the repeated hour", longService, "2027-10-31T01:00:00+02:00", "2027-10-31T03:00:00+01:00"))) {
      var booked = created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", point)
          .put("serviceId", c.service()).put("channel", "desk").put("start", c.start()).put("name", "Karin Karlsson")
          .put("email", "karin@example.se").put("language", "sv").put("consent", true)));
      Instant start = OffsetDateTime.parse(c.start()).toInstant();
      Instant end = OffsetDateTime.parse(c.end()).toInstant();
      assertEquals(start, OffsetDateTime.parse(booked.getString("start")).toInstant(), c.why());
      assertEquals(end, OffsetDateTime.parse(booked.getString("end")).toInstant(), c.why());
      String reference = booked.getString("reference");

      var download = server.get("/api/v1/bookings/" + reference + "/calendar.ics?token=" + booked.getString("manageToken"));
      assertEquals(200, download.statusCode(), download.bodyAsString());
      CalendarFileTest.assertReadAs(start, end, download.bodyAsString(), c.why() + ", download");

      UUID id = server.sql("SELECT id FROM booking WHERE reference = $1", reference).iterator().next().getUUID(0);
      var bookings = server.app().bookings();
      Booking booking = bookings.bookings(List.of(id)).await().get(0);
      CalendarFileTest.assertReadAs(start, end, bookings.invitation(booking, false, "no-reply@jour.example"),
          c.why() + ", e-mailed invitation");
      CalendarFileTest.assertReadAs(start, end, bookings.invitation(booking, true, "no-reply@jour.example"),
          c.why() + ", e-mailed cancellation");
    }
  }
}
