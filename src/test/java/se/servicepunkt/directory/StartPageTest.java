package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * The start page, the accessibility statement and the privacy notice, read from the directory with
 * a fixed clock: an office open now, before opening, after closing, on a closed date and at the
 * weekend; a mobile unit at a stop and between stops; video services; controllers per organisation.
 */
class StartPageTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  /** Tuesday 2 March 2027. */
  static final LocalDateTime TUESDAY_10 = LocalDateTime.of(2027, 3, 2, 10, 0);
  static final TestClock CLOCK = new TestClock(TUESDAY_10.atZone(STOCKHOLM).toInstant());
  static TestServer server;
  static String office;
  static String bus;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("retentionDays", 45, "contactEmail", "tillganglighet@kommun.example"), CLOCK);
    var fx = new Fixtures(server);
    String region = fx.organisation("Region Testland");
    String agency = fx.organisation("Testmyndigheten");
    String admin = fx.token(region, "admin");
    String agencyAdmin = fx.token(agency, "admin");
    office = fx.servicePoint(admin, "Servicekontoret", "office");
    server.put("/api/v1/service-points/" + office, admin, new JsonObject().put("name", "Servicekontoret").put("kind", "office")
        .put("street", "Storgatan 1").put("postalCode", "123 45").put("city", "Teststad"));
    var week = new JsonArray();
    for (int day = 1; day <= 5; day++) {
      week.add(new JsonObject().put("weekday", day).put("opens", "09:00").put("closes", "16:00"));
    }
    assertEquals(200, server.put("/api/v1/service-points/" + office + "/opening-hours", admin,
        new JsonObject().put("weeklyHours", week)).statusCode());
    assertEquals(200, server.put("/api/v1/service-points/" + office + "/opening-exceptions/2027-03-03", admin,
        new JsonObject().put("closed", true).put("reason", "Personaldag")).statusCode());
    bus = fx.servicePoint(admin, "Bussen", "mobile");
    for (var stop : new JsonObject[] {
        stop("2027-03-02", "13:00", "15:00", "Havdhem", "Skolvägen 1", "Havdhem"),
        stop("2027-03-04", "09:30", "11:30", "Burgsvik", null, "Burgsvik"),
        stop("2027-03-05", "10:00", "12:00", "Ljugarn", "Strandvägen 5", null)}) {
      assertEquals(201, server.post("/api/v1/service-points/" + bus + "/stops", admin, stop).statusCode());
    }
    assertEquals(204, server.put("/api/v1/service-points/" + office + "/organisations/" + agency, admin, null).statusCode());
    String info = fx.service(region, "Information", "A", "desk", "video");
    String library = fx.service(region, "Bibliotek", "B", "desk");
    String visit = fx.service(agency, "Personligt besök", "P", "desk");
    for (String service : new String[] {info, library}) {
      assertEquals(204, server.put("/api/v1/service-points/" + office + "/services/" + service, admin, null).statusCode());
    }
    assertEquals(204, server.put("/api/v1/service-points/" + bus + "/services/" + library, admin, null).statusCode());
    assertEquals(204, server.put("/api/v1/service-points/" + office + "/services/" + visit, agencyAdmin, null).statusCode());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject stop(String date, String opens, String closes, String place, String street, String city) {
    var stop = new JsonObject().put("date", date).put("opens", opens).put("closes", closes).put("place", place);
    if (street != null) {
      stop.put("street", street);
    }
    if (city != null) {
      stop.put("city", city);
    }
    return stop;
  }

  /** The start page's entry for one point, as text, at this local time in Stockholm. */
  static String point(LocalDateTime at, String lang, String name) {
    CLOCK.set(at.atZone(STOCKHOLM).toInstant());
    var page = server.get("/?lang=" + lang);
    assertEquals(200, page.statusCode());
    Matcher m = Pattern.compile("<li class=\"point\">\\s*<h3 class=\"point-name\">" + Pattern.quote(name)
        + "</h3>(.*?)</li>\\s*(<li class=\"point\">|</ul>\\s*(\\{|<section|$))", Pattern.DOTALL).matcher(page.bodyAsString());
    assertTrue(m.find(), page.bodyAsString());
    return m.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
  }

  @Test
  void anOfficeOpenNowSaysUntilWhenAndOffersATicket() {
    String sv = point(TUESDAY_10, "sv", "Servicekontoret");
    assertTrue(sv.contains("Öppet nu till 16.00") && sv.contains("Öppettider i dag: 09.00–16.00"), sv);
    assertTrue(sv.contains("Storgatan 1, 123 45 Teststad"), sv);
    assertTrue(sv.contains("Ta en kölapp"), sv);
    assertTrue(sv.contains("Här möter du: Region Testland och Testmyndigheten"), sv);
    assertTrue(sv.contains("Information (även via video)"), sv);
    String en = point(TUESDAY_10, "en", "Servicekontoret");
    assertTrue(en.contains("Open now until 16:00") && en.contains("Take a queue ticket"), en);
    assertTrue(en.contains("Information (en) (also by video)"), en);
  }

  @Test
  void aClosedOfficeSaysWhenItOpensAndOffersNoTicket() {
    String before = point(TUESDAY_10.withHour(7), "sv", "Servicekontoret");
    assertTrue(before.contains("Stängt just nu. Öppnar i dag kl. 09.00."), before);
    assertFalse(before.contains("Ta en kölapp"), before);
    String after = point(TUESDAY_10.withHour(17), "sv", "Servicekontoret");
    assertTrue(after.contains("Stängt för i dag. Öppnar torsdag 4 mars kl. 09.00."), "Wednesday is closed: " + after);
    String closedDay = point(TUESDAY_10.plusDays(1), "sv", "Servicekontoret");
    assertTrue(closedDay.contains("Stängt i dag. Öppnar i morgon kl. 09.00."), closedDay);
    assertFalse(closedDay.contains("Öppettider i dag"), closedDay);
    String saturday = point(TUESDAY_10.plusDays(4), "en", "Servicekontoret");
    assertTrue(saturday.contains("Closed today. Opens Monday 8 March at 09:00."), saturday);
    String lastMinute = point(TUESDAY_10.withHour(15).withMinute(59), "sv", "Servicekontoret");
    assertTrue(lastMinute.contains("Öppet nu till 16.00"), lastMinute);
    String closing = point(TUESDAY_10.withHour(16), "sv", "Servicekontoret");
    assertTrue(closing.contains("Stängt för i dag."), "closed at the closing time itself: " + closing);
  }

  @Test
  void aMobileUnitShowsWhereItIsOrItsNextStops() {
    String morning = point(TUESDAY_10, "sv", "Bussen");
    assertTrue(morning.contains("Nästa stopp: Havdhem, Skolvägen 1, tisdag 2 mars kl. 13.00–15.00"), morning);
    assertTrue(morning.contains("Burgsvik: torsdag 4 mars kl. 09.30–11.30"), morning);
    assertTrue(morning.contains("Ljugarn, Strandvägen 5: fredag 5 mars kl. 10.00–12.00"), morning);
    String atStop = point(TUESDAY_10.withHour(14), "en", "Bussen");
    assertTrue(atStop.contains("Here now: Havdhem, Skolvägen 1, until 15:00"), atStop);
    assertTrue(atStop.contains("Take a queue ticket"), atStop);
    String later = point(TUESDAY_10.plusDays(10), "sv", "Bussen");
    assertTrue(later.contains("Inga stopp är inplanerade de närmaste veckorna."), later);
  }

  @Test
  void servicesOfferedByVideoAreListedWithAVideoBookingLink() {
    CLOCK.set(TUESDAY_10.atZone(STOCKHOLM).toInstant());
    String html = server.get("/").bodyAsString();
    String video = html.substring(html.indexOf("id=\"video-heading\""));
    assertTrue(video.contains("Information</span>, Region Testland"), video);
    assertFalse(video.contains("Bibliotek"), video);
    assertTrue(video.contains("kanal&#61;video"), video);
    assertTrue(html.contains("href=\"/boka\""), "the booking flow's start");
    assertTrue(html.contains("href=\"/hitta-bokning\""), "find my booking");
  }

  @Test
  void thePrivacyNoticeNamesTheControllerOfEachServiceAndTheRetention() {
    String html = server.get("/integritet").bodyAsString().replaceAll("\\s+", " ");
    assertTrue(html.contains("<dt>Region Testland</dt> <dd><ul class=\"list\"><li>Bibliotek</li><li>Information</li></ul>"), html);
    assertTrue(html.contains("<dt>Testmyndigheten</dt> <dd><ul class=\"list\"><li>Personligt besök</li></ul>"), html);
    assertTrue(html.contains("45 dagar efter din bokade tid"), html);
    assertTrue(html.contains("mailto:tillganglighet@kommun.example"), html);
    assertTrue(server.get("/integritet?lang=en").bodyAsString().contains("45 days after your appointment"));
  }

  @Test
  void theAccessibilityStatementHasWhatTheLawAsksFor() {
    String html = server.get("/tillganglighet").bodyAsString();
    assertTrue(html.contains("lagen (2018:1937) om tillgänglighet till digital offentlig service"), html);
    assertTrue(html.contains("delvis förenlig") && html.contains("WCAG) 2.1"), html);
    assertTrue(html.contains("Innehåll som inte är tillgängligt"), html);
    assertTrue(html.contains("mailto:tillganglighet@kommun.example"), html);
    assertTrue(html.contains("href=\"https://www.digg.se/tdosanmalan\""), html);
    assertTrue(html.contains("Webbplatsen drivs gemensamt av Region Testland och Testmyndigheten."), html);
    String en = server.get("/tillganglighet?lang=en").bodyAsString();
    assertTrue(en.contains("partially compliant") && en.contains("Agency for Digital Government (Digg)"), en);
  }
}
