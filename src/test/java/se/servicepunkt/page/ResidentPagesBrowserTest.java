package se.servicepunkt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Response;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * The residents' pages in a real browser, on the demo data: every page axe-clean in Swedish and
 * English, {@code lang} set, no sideways scrolling at 320 px, the security headers, the language
 * switch keeping the page, every link reached by the keyboard with a visible focus, the start
 * page's open and closed with a fixed clock, and cancelling on the manage page. Screenshots of
 * each page at 320 and 1280 px go to {@code target/screenshots}.
 */
class ResidentPagesBrowserTest extends BrowserTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final TestClock CLOCK = new TestClock(Instant.now());
  static TestServer server;
  static String hemse;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of("demo", true, "contactEmail", "servicepunkt@gotland.example"), CLOCK);
    hemse = server.sql("SELECT id FROM service_point WHERE name = 'Hemse servicepunkt'").iterator().next()
        .getUUID(0).toString();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void now() {
    CLOCK.set(Instant.now());
  }

  @Override
  protected String baseUrl() {
    return "http://localhost:" + server.port();
  }

  /** A new desk booking at Hemse through the API; returns "/manage/REFERENCE?token=TOKEN". */
  static String bookAtHemse(String language) {
    String service = server.sql("SELECT id FROM service WHERE name_sv = 'Regional informationsdisk'").iterator().next()
        .getUUID(0).toString();
    LocalDate from = LocalDate.now(STOCKHOLM).plusDays(1);
    var slots = server.get("/api/v1/availability?servicePoint=" + hemse + "&service=" + service + "&channel=desk&from="
        + from + "&to=" + from.plusDays(13)).bodyAsJsonObject().getJsonArray("slots");
    assertTrue(slots.size() > 0, "the demo has free times at Hemse");
    var slot = slots.getJsonObject(slots.size() / 2);
    var booking = Fixtures.created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", hemse)
        .put("serviceId", service).put("channel", "desk").put("start", slot.getString("start"))
        .put("name", "Karin Karlsson").put("email", "karin@example.se").put("language", language).put("consent", true)));
    return "/manage/" + booking.getString("reference") + "?token=" + booking.getString("manageToken");
  }

  void check(String path, String lang, String name) {
    Response response = open(path);
    assertSecurityHeaders(response, path);
    checkPage(lang, name + " (" + lang + ")");
    screenshots(name + "-" + lang);
  }

  @Test
  void everyPageIsAccessibleInSwedishAndEnglish() {
    String manage = bookAtHemse("sv");
    for (String lang : List.of("sv", "en")) {
      check("/?lang=" + lang, lang, "start");
      check("/tillganglighet?lang=" + lang, lang, "accessibility");
      check("/integritet?lang=" + lang, lang, "privacy");
      check(manage + "&lang=" + lang, lang, "manage");
      check("/manage/NONE-NONE?token=x&lang=" + lang, lang, "manage-not-found");
      check("/finns-inte?lang=" + lang, lang, "not-found");
      check("/video/sp-0123456789abcdef0123456789abcdef?lang=" + lang, lang, "video-demo");
    }
  }

  @Test
  void theLanguageSwitchKeepsThePageAndIsRemembered() {
    String manage = bookAtHemse("sv");
    open(manage);
    assertLang("sv", "a Swedish booking");
    assertEquals("Din bokning", page.textContent("h1"));
    page.click("a.lang-switch");
    assertLang("en", "after the switch");
    assertEquals("Your booking", page.textContent("h1"));
    assertTrue(page.url().startsWith(baseUrl() + manage.replace("?", "\\?").replace("\\?", "?")), page.url());
    assertTrue(page.url().contains("lang=en"), page.url());

    open("/integritet");
    assertLang("en", "the choice is remembered");
    page.click("text=Accessibility");
    assertLang("en", "links keep the language");
    assertTrue(page.url().endsWith("/tillganglighet?lang=en"), page.url());
    page.click("a.lang-switch");
    assertLang("sv", "and back");
    assertTrue(page.url().endsWith("/tillganglighet?lang=sv"), page.url());
    open("/");
    assertLang("sv", "remembered again");
  }

  @Test
  void theKeyboardReachesEveryLinkWithAVisibleFocus() {
    String manage = bookAtHemse("en");
    for (String path : List.of("/", manage, "/tillganglighet?lang=en")) {
      open(path);
      var stops = tabThrough();
      assertEquals(focusable(), stops.stream().map(Focus::element).toList(), path + ": Tab reaches everything, in order");
      stops.forEach(stop -> assertTrue(stop.visible(), path + ": no visible focus on " + stop.element()));
      assertTrue(stops.get(0).element().contains("#main"), "the first stop skips to the content");
    }
  }

  @Test
  void theStartPageSaysWhetherAPointIsOpenByTheServersClock() {
    var days = server.get("/api/v1/service-points/" + hemse + "?weeks=2").bodyAsJsonObject().getJsonArray("openingDays");
    JsonObject open = null;
    JsonObject closed = null;
    for (int i = 1; i < days.size(); i++) {
      var day = days.getJsonObject(i);
      if (day.getBoolean("open") && open == null) {
        open = day;
      } else if (!day.getBoolean("open") && closed == null) {
        closed = day;
      }
    }
    String closes = open.getJsonArray("intervals").getJsonObject(0).getString("closes");
    CLOCK.set(LocalDate.parse(open.getString("date")).atTime(LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());
    open("/");
    var hemseStatus = page.locator("li.point:has(h3:text-is('Hemse servicepunkt')) .status");
    assertEquals("Öppet nu till " + closes.replace(':', '.'), hemseStatus.textContent().trim());
    assertTrue(page.locator("li.point:has(h3:text-is('Hemse servicepunkt')) a:has-text('Ta en kölapp')").isVisible());

    CLOCK.set(LocalDate.parse(open.getString("date")).atTime(LocalTime.of(7, 0)).atZone(STOCKHOLM).toInstant());
    open("/?lang=en");
    assertEquals("Closed just now. Opens today at 09:00.", hemseStatus.textContent().trim());
    assertEquals(0, page.locator("li.point:has(h3:text-is('Hemse servicepunkt')) a:has-text('Take a queue ticket')").count());

    CLOCK.set(LocalDate.parse(closed.getString("date")).atTime(LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());
    open("/?lang=sv");
    assertTrue(hemseStatus.textContent().trim().startsWith("Stängt i dag. Öppnar "), hemseStatus.textContent());
    screenshots("start-closed-day-sv");
  }

  @Test
  void aResidentCancelsOnTheManagePage() {
    open(bookAtHemse("sv"));
    page.click("a:has-text('Avboka tiden')");
    page.waitForURL(url -> url.contains("/avboka"));
    page.click("button:has-text('Ja, avboka tiden')");
    page.waitForURL(url -> url.contains("done=cancelled"));
    assertEquals("Avbokad", page.textContent(".tag").trim());
    assertTrue(page.textContent("[role=status]").contains("Din tid är avbokad"));
    checkPage("sv", "manage, cancelled");
    screenshots("manage-cancelled-sv");
  }
}
