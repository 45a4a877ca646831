package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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
 * The residents' booking flow, "find my booking" and the manage page in a real browser, on the
 * demo data: a desk appointment booked at Hemse with the keyboard alone, a video appointment in
 * English, every question's errors, a double submit booking once, a time taken meanwhile, moving,
 * cancelling and checking in; every page and state axe-clean in Swedish and English, no sideways
 * scrolling at 320 px, screenshots in {@code target/screenshots/book-*}.
 */
class BookingFlowBrowserTest extends BrowserTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final TestClock CLOCK = new TestClock(Instant.now());
  static TestServer server;
  static String hemse;
  static String info;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of("demo", true), CLOCK);
    hemse = server.sql("SELECT id FROM service_point WHERE name = 'Hemse servicepunkt'").iterator().next()
        .getUUID(0).toString();
    info = server.sql("SELECT id FROM service WHERE name_sv = 'Regional informationsdisk'").iterator().next()
        .getUUID(0).toString();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void now() {
    // today at 08:30, not the real time of day: near closing, "today" offers a time or two that
    // pass while a test runs, and which day and time come first would depend on when it runs
    CLOCK.set(LocalDate.now(STOCKHOLM).atTime(8, 30).atZone(STOCKHOLM).toInstant());
  }

  @Override
  protected String baseUrl() {
    return "http://localhost:" + server.port();
  }

  /** The usual checks, and screenshots named {@code book-NAME-LANG}. */
  void look(String lang, String name) {
    checkPage(lang, name + " (" + lang + ")");
    screenshots("book-" + name + "-" + lang);
  }

  /** Presses Tab until the focus is on {@code selector}, as a keyboard user would. */
  void tabTo(String selector) {
    for (int i = 0; i < 80; i++) {
      page.keyboard().press("Tab");
      if (Boolean.TRUE.equals(page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector))) {
        return;
      }
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  /** Chooses a radio button with the keyboard: Tab into its group, then the arrow keys. */
  void chooseRadio(String name, String value) {
    tabTo("input[name=" + name + "]");
    page.keyboard().press("Space");
    String target = "input[name=" + name + "][value='" + value + "']";
    for (int i = 0; i < 40 && !page.isChecked(target); i++) {
      page.keyboard().press("ArrowDown");
    }
    assertTrue(page.isChecked(target), target);
  }

  void assertSummaryFocused(String what) {
    assertEquals("true", page.evaluate("() => String(document.activeElement.matches('[data-error-summary]'))"),
        what + ": the error summary has the focus");
  }

  long bookings(String email) {
    return server.sql("SELECT count(*) FROM booking WHERE email = $1 AND status = 'active'", email).iterator().next()
        .getLong(0);
  }

  @Test
  void aDeskAppointmentIsBookedWithTheKeyboardAlone() {
    open("/boka");
    look("sv", "point");
    assertEquals("Var vill du träffa oss?", page.textContent("legend h1"));
    chooseRadio("plats", hemse);
    tabTo("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/tjanst"));
    look("sv", "service");
    chooseRadio("tjanst", info);
    tabTo("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/kanal"));
    look("sv", "channel");
    chooseRadio("kanal", "desk");
    tabTo("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/dag"));
    look("sv", "days");
    assertTrue(page.textContent(".day-count").matches("\\d+ lediga tider|1 ledig tid"), page.textContent(".day-count"));
    tabTo("a.day");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/tid"));
    look("sv", "times");
    String label = page.textContent("label[for=tid]");
    assertTrue(label.matches("\\p{L}+dag \\d{1,2} \\p{L}+ kl\\. \\d\\d\\.\\d\\d, 20 minuter"), label);
    assertTrue(page.locator("fieldset legend").first().textContent().matches("Förmiddag|Eftermiddag"));
    tabTo("input[name=tid]");
    page.keyboard().press("Space");
    tabTo("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/uppgifter"));
    look("sv", "details");
    assertTrue(page.textContent("#samtycke-text").contains("30 dagar"), "the retention setting");
    tabTo("#namn");
    page.keyboard().type("Karin Karlsson");
    tabTo("#epost");
    page.keyboard().type("karin.keyboard@example.se");
    tabTo("#samtycke");
    page.keyboard().press("Space");
    tabTo("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/kontrollera"));
    assertFalse(page.url().contains("karin"), "the details are sealed, not in the address: " + page.url());
    look("sv", "check");
    assertTrue(page.textContent(".summary-list").contains("Karin Karlsson"));
    assertTrue(page.textContent(".summary-list").contains(label));
    tabTo("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/boka/klar/"));
    look("sv", "done");
    assertEquals("Din tid är bokad", page.textContent("h1"));
    assertTrue(page.textContent("main").contains("Storgatan 34"), "the address");
    String reference = page.textContent(".confirmation .reference").trim();
    assertTrue(reference.matches("[A-Z0-9]{4}-[A-Z0-9]{4}"), reference);
    assertEquals(1, bookings("karin.keyboard@example.se"));
    assertTrue(page.locator("a[href*='calendar.ics']").isVisible());
    tabTo("a[href^='/manage/']");
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("/manage/" + reference));
    assertEquals("Din bokning", page.textContent("h1"));
  }

  @Test
  void aVideoAppointmentInEnglishAndTheStartPagesLinks() {
    open("/boka?lang=en");
    look("en", "point");
    page.check("input[name=plats][value=video]");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/tjanst"));
    look("en", "service-video");
    page.check("input[name=tjanst][value='" + info + "']");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/dag"));
    look("en", "days");
    assertTrue(page.textContent("main").contains("Video meeting"));
    page.click("a.back-link");
    page.waitForURL(url -> url.contains("/boka/tjanst"));
    assertEquals("What do you want a video meeting about?", page.textContent("legend h1"), "back to the video services");
    assertTrue(page.isChecked("input[name=tjanst][value='" + info + "']"), "the answer kept");
    page.click("a.back-link");
    page.waitForURL(url -> url.contains("/boka/plats"));
    assertTrue(page.isChecked("input[name=plats][value=video]"), "video, as answered");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/tjanst"));
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/dag"));
    if (page.locator("a.action:has-text('Later days')").count() > 0) {
      page.click("a.action:has-text('Later days')");
      page.waitForURL(url -> url.contains("fran="));
      look("en", "days-later");
      page.click("a.action:has-text('Earlier days')");
    }
    page.click("a.day >> nth=0");
    page.waitForURL(url -> url.contains("/boka/tid"));
    look("en", "times");
    assertTrue(page.textContent("label[for=tid]").matches("\\p{L}+day \\d{1,2} \\p{L}+ at \\d\\d:\\d\\d, 20 minutes"));
    page.check("#tid");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/uppgifter"));
    look("en", "details");
    page.fill("#namn", "Kim Video");
    page.fill("#epost", "kim.video@example.se");
    page.fill("#telefon", "070 123 45 67");
    page.check("#sprak-en");
    page.check("#samtycke");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/kontrollera"));
    look("en", "check");
    assertTrue(page.textContent(".summary-list").contains("Video meeting"));
    assertTrue(page.textContent(".summary-list").contains("070 123 45 67"));
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/klar/"));
    look("en", "done-video");
    assertEquals("Your appointment is booked", page.textContent("h1"));
    assertTrue(page.textContent("main").contains("How to join the video meeting"));
    assertEquals("video", server.sql("SELECT channel FROM booking WHERE email = 'kim.video@example.se'").iterator()
        .next().getString(0));

    // the start page's links land on the first question not answered
    open("/boka?servicepunkt=" + hemse + "&tjanst=" + info + "&kanal=video&lang=en");
    assertTrue(page.url().contains("/boka/dag"), page.url());
    open("/boka?servicepunkt=" + hemse);
    assertTrue(page.url().contains("/boka/tjanst"), page.url());
    open("/");
    page.click("a[href*='kanal=video'] >> nth=0");
    assertTrue(page.url().contains("/boka/dag"), page.url());
  }

  @Test
  void everyQuestionSaysWhatIsMissingInBothLanguages() {
    for (String lang : List.of("sv", "en")) {
      open("/boka?lang=" + lang);
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      assertSummaryFocused("point");
      look(lang, "point-error");
      page.click(".error-summary-list a");
      assertEquals("plats", page.evaluate("() => document.activeElement.id"));

      open("/boka/tjanst?servicepunkt=" + hemse + "&lang=" + lang);
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      look(lang, "service-error");

      open("/boka/kanal?servicepunkt=" + hemse + "&tjanst=" + info + "&lang=" + lang);
      look(lang, "channel");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      look(lang, "channel-error");

      open("/boka/dag?servicepunkt=" + hemse + "&tjanst=" + info + "&kanal=desk&lang=" + lang);
      page.click("a.day >> nth=0");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      assertSummaryFocused("times");
      look(lang, "times-error");
      page.check("#tid");
      page.click("button[type=submit]");
      page.waitForURL(url -> url.contains("/boka/uppgifter"));
      page.fill("#namn", "Karin");
      page.fill("#epost", "karin@");
      page.fill("#telefon", "abc");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      assertSummaryFocused("details");
      assertEquals(3, page.locator(".error-summary-list a").count(), "e-mail, phone, consent");
      assertEquals("karin@", page.inputValue("#epost"), "what was typed is kept");
      assertEquals("abc", page.inputValue("#telefon"));
      assertEquals("Karin", page.inputValue("#namn"));
      look(lang, "details-error");
      page.click(".error-summary-list a[href='#samtycke']");
      assertEquals("samtycke", page.evaluate("() => document.activeElement.id"));
    }
  }

  /** Goes through the flow at Hemse to the check page with the first free time of the first day. */
  void toCheckPage(String email) {
    open("/boka/dag?servicepunkt=" + hemse + "&tjanst=" + info + "&kanal=desk");
    page.click("a.day >> nth=0");
    page.check("#tid");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/uppgifter"));
    page.fill("#namn", "Karin Karlsson");
    page.fill("#epost", email);
    page.check("#samtycke");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/kontrollera"));
  }

  @Test
  void theFlowWorksWithJavaScriptOff() {
    var withJs = page;
    try (var noScript = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setJavaScriptEnabled(false).setLocale("sv-SE"))) {
      page = noScript.newPage();
      toCheckPage("noscript@example.se");
      page.click("button[type=submit]");
      page.waitForURL(url -> url.contains("/boka/klar/"));
      assertEquals("Din tid är bokad", page.textContent("h1"));
      open("/boka");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      assertTrue(page.textContent(".error-summary").contains("Välj en servicepunkt"), "errors without scripts too");
    } finally {
      page = withJs;
    }
    assertEquals(1, bookings("noscript@example.se"));
  }

  @Test
  void submittingTwiceBooksOnce() {
    toCheckPage("twice@example.se");
    @SuppressWarnings("unchecked")
    List<String> answers = (List<String>) page.evaluate("""
        async () => {
          const body = new URLSearchParams(new FormData(document.querySelector('form'))).toString();
          const post = () => fetch('/boka/kontrollera', { method: 'POST', body,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }).then(r => r.url);
          return Promise.all([post(), post()]);
        }""");
    page.click("button[type=submit]"); // and a third time, the ordinary way
    page.waitForURL(url -> url.contains("/boka/klar/"));
    assertEquals(answers.get(0), answers.get(1), "the same confirmation");
    assertTrue(answers.get(0).contains("/boka/klar/"), answers.get(0));
    assertEquals(answers.get(0), page.url());
    assertEquals(1, bookings("twice@example.se"));
  }

  @Test
  void aTimeTakenMeanwhileGoesBackToTheTimesWithTheDetailsKept() {
    toCheckPage("late@example.se");
    String start = page.inputValue("input[name=tid]");
    // everyone who could take that time is booked meanwhile
    int status = 201;
    for (int i = 0; i < 20 && status == 201; i++) {
      status = server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", hemse).put("serviceId", info)
          .put("channel", "desk").put("start", start).put("name", "Someone").put("email", "other" + i + "@example.se")
          .put("language", "sv").put("consent", true)).statusCode();
    }
    assertEquals(409, status);
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/tid") && url.contains("upptagen=1"));
    page.waitForSelector("[data-error-summary]");
    assertSummaryFocused("taken");
    assertTrue(page.textContent(".error-summary").contains("Någon annan hann boka tiden"));
    assertEquals(0, page.locator("input[name=tid][value='" + start + "']").count(), "the taken time is not offered");
    look("sv", "times-taken");
    page.check("input[name=tid] >> nth=0");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/kontrollera")); // straight back to the check page
    assertTrue(page.textContent(".summary-list").contains("late@example.se"), "nothing typed is lost");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/boka/klar/"));
    assertEquals(1, bookings("late@example.se"));

    open("/?lang=en");
    toCheckPage("late.en@example.se");
    page.navigate(page.url().replace("/boka/kontrollera", "/boka/tid") + "&upptagen=1&lang=en");
    look("en", "times-taken");
  }

  /** A desk booking at Hemse through the API, {@code days} ahead; returns "/manage/REF?token=T". */
  static String booked(String language, String email, int days) {
    LocalDate from = LocalDate.now(STOCKHOLM).plusDays(days);
    var slots = server.get("/api/v1/availability?servicePoint=" + hemse + "&service=" + info + "&channel=desk&from="
        + from + "&to=" + from.plusDays(13)).bodyAsJsonObject().getJsonArray("slots");
    var booking = Fixtures.created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", hemse)
        .put("serviceId", info).put("channel", "desk").put("start", slots.getJsonObject(slots.size() / 3).getString("start"))
        .put("name", "Karin Karlsson").put("email", email).put("language", language).put("consent", true)));
    return "/manage/" + booking.getString("reference") + "?token=" + booking.getString("manageToken");
  }

  @Test
  void theTimeIsChangedAndTheBookingCancelledInBothLanguages() {
    for (String lang : List.of("sv", "en")) {
      String manage = booked(lang, "move." + lang + "@example.se", 2);
      open(manage);
      look(lang, "manage");
      String before = page.textContent(".summary-list");
      page.click("a[href*='/byt-tid']");
      page.waitForURL(url -> url.contains("/byt-tid"));
      look(lang, "move-days");
      page.click("a.day >> nth=1");
      page.waitForURL(url -> url.contains("/byt-tid/tid"));
      look(lang, "move-times");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      look(lang, "move-times-error");
      page.check("input[name=tid] >> nth=0");
      page.click("button[type=submit]");
      page.waitForURL(url -> url.contains("done=moved"));
      look(lang, "manage-moved");
      assertTrue(page.textContent("[role=status]").contains(lang.equals("sv") ? "Din tid är ändrad" : "has been changed"));
      assertNotEquals(before, page.textContent(".summary-list"));

      page.click("a[href*='/avboka']");
      page.waitForURL(url -> url.contains("/avboka"));
      look(lang, "cancel-confirm");
      page.click("text=" + (lang.equals("sv") ? "Nej, behåll tiden" : "No, keep the appointment"));
      assertEquals(lang.equals("sv") ? "Bokad" : "Booked", page.textContent(".tag").trim());
      page.click("a[href*='/avboka']");
      page.click("button[type=submit]");
      page.waitForURL(url -> url.contains("done=cancelled"));
      look(lang, "manage-cancelled");
      assertEquals(lang.equals("sv") ? "Avbokad" : "Cancelled", page.textContent(".tag").trim());
      assertEquals(0, bookings("move." + lang + "@example.se"));
    }
  }

  @Test
  void findMyBookingAnswersTheSameForAWrongReferenceAndAWrongEmail() {
    String manage = booked("sv", "find@example.se", 3);
    String reference = manage.substring("/manage/".length(), manage.indexOf('?'));
    for (String lang : List.of("sv", "en")) {
      open("/hitta-bokning?lang=" + lang);
      look(lang, "find");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      assertSummaryFocused("find, empty");
      look(lang, "find-error");
      page.fill("#bokningsnummer", reference);
      page.fill("#epost", "someone.else@example.se");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      String wrongEmail = page.textContent(".error-summary");
      assertEquals(reference, page.inputValue("#bokningsnummer"));
      page.fill("#bokningsnummer", "AAAA-BBBB");
      page.fill("#epost", "find@example.se");
      page.click("button[type=submit]");
      page.waitForSelector("[data-error-summary]");
      assertEquals(wrongEmail, page.textContent(".error-summary"), "no enumeration");
      look(lang, "find-not-found");
    }
    open("/hitta-bokning?lang=sv");
    page.fill("#bokningsnummer", reference.toLowerCase());
    page.fill("#epost", "FIND@example.se");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.contains("/manage/" + reference + "?token="));
    assertEquals("Din bokning", page.textContent("h1"));
  }

  @Test
  void aBookedVisitorChecksInOnTheDay() {
    String manage = booked("sv", "checkin@example.se", 1);
    String reference = manage.substring("/manage/".length(), manage.indexOf('?'));
    OffsetDateTime start = server.sql("SELECT lower(period) FROM booking WHERE reference = $1", reference).iterator().next()
        .getOffsetDateTime(0);
    open(manage);
    assertEquals(0, page.locator("button:has-text('Checka in')").count(), "not the day yet");
    CLOCK.set(start.toInstant().minusSeconds(20 * 60));
    for (String lang : List.of("sv", "en")) {
      open(manage + "&lang=" + lang);
      look(lang, "manage-check-in");
    }
    open(manage);
    page.click("button:has-text('Checka in')");
    page.waitForURL(url -> url.contains("/t/"));
    assertTrue(page.url().matches(".*/t/[0-9a-f-]{36}\\?token=[A-Za-z0-9_-]{43}$"), page.url());
    assertEquals(1L, server.sql("SELECT count(*) FROM ticket t JOIN booking b ON b.id = t.booking_id WHERE b.reference = $1",
        reference).iterator().next().getLong(0));
    // a second check-in says so on the manage page
    for (String lang : List.of("sv", "en")) {
      open(manage + "&lang=" + lang);
      page.click("form[action$='/checka-in'] button");
      page.waitForSelector("[role=alert]");
      look(lang, "manage-checked-in-already");
    }
    assertTrue(page.textContent("[role=alert]").contains("already checked in"));
  }
}
