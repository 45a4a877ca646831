package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Staff sign-in and the counter console (issue 12, items 1 and 2) in a real browser: signing in
 * and serving a visitor with the keyboard alone, the session kept over a reload and ended by
 * signing out, the refusals of sign-in shown plainly, two consoles seeing each other's calls
 * within a second, and the offline state when the network drops, with the buttons resting until
 * the console has caught up; axe-clean in each state, in Swedish and English. The browser reaches
 * the server through {@link ScreenBrowserTest.Proxy}, which can cut the network.
 */
class ConsoleBrowserTest extends BrowserTest {
  static TestServer server;
  static Fixtures fx;
  static ScreenBrowserTest.Proxy proxy;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("sseHeartbeatSeconds", 1, "httpIdleTimeoutSeconds", 30));
    fx = new Fixtures(server);
    proxy = ScreenBrowserTest.Proxy.start(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    server.close();
  }

  @Override
  protected String baseUrl() {
    return "http://localhost:" + proxy.port;
  }

  /** A lobby of an organisation of its own (so that its console lists one point), with two errands. */
  record Place(Lobby lobby, String general, String other) {
  }

  Place place(String name) {
    String org = fx.organisation("Organisation " + name);
    String admin = fx.token(org, "admin", "staff");
    String general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk", "video");
    String other = Lobby.service(server, admin, "Pass och id-kort", "B", "desk");
    return new Place(new Lobby(server, fx, org, admin, name, general, other), general, other);
  }

  record Account(String id, String email) {
  }

  /** A member of staff of the lobby's organisation with these skills (password {@link TestServer#PASSWORD}). */
  Account staff(Lobby lobby, String... services) {
    String email = "console-" + UUID.randomUUID() + "@lobby.example";
    fx.account(lobby.org, email, "staff");
    String id = server.sql("SELECT id FROM staff WHERE email = $1", email).iterator().next().getUUID(0).toString();
    var skills = server.put("/api/v1/staff/" + id + "/skills", lobby.admin,
        new JsonObject().put("serviceIds", new JsonArray(List.of(services))));
    assertTrue(skills.statusCode() == 200 || skills.statusCode() == 204, skills.bodyAsString());
    return new Account(id, email);
  }

  /** Signs in through the form (mouse and keys as a person would) and chooses the counter. */
  void signInAndChoose(Page on, Account account, String counter, String query) {
    on.navigate(baseUrl() + "/staff/sign-in" + query);
    on.fill("#email", account.email());
    on.fill("#password", TestServer.PASSWORD);
    on.click("[data-submit]");
    on.waitForSelector("[data-place]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    on.selectOption("#counter", counter);
    on.click("[data-place-form] button[type=submit]");
    waitLive(on);
  }

  static void waitLive(Page on) {
    on.waitForFunction("() => window.servicepunktConsole && window.servicepunktConsole.state().live",
        null, new Page.WaitForFunctionOptions().setTimeout(10_000));
  }

  static Map<?, ?> state(Page on) {
    return (Map<?, ?>) on.evaluate("() => window.servicepunktConsole.state()");
  }

  void tabTo(String selector) {
    for (int i = 0; i < 60 && !Boolean.TRUE.equals(page.evaluate("s => document.activeElement.matches(s)", selector)); i++) {
      page.keyboard().press("Tab");
    }
    assertEquals(Boolean.TRUE, page.evaluate("s => document.activeElement.matches(s)", selector), selector + " reached by Tab");
  }

  /** The console at 320 and 1280 px (BrowserTest's), at 390 px (a phone), and at 1920×1080 and 1280×720 as it runs at a counter all day. */
  void consoleScreenshots(String name) {
    screenshots(name);
    var size = page.viewportSize();
    for (int[] screen : new int[][] {{1920, 1080}, {1280, 720}, {390, 844}}) {
      page.setViewportSize(screen[0], screen[1]);
      String suffix = screen[0] == 1920 ? "-1920" : "-" + screen[0] + "x" + screen[1];
      page.screenshot(new Page.ScreenshotOptions().setFullPage(screen[0] != 1280)
          .setPath(Paths.get("target", "screenshots", name + suffix + ".png")));
    }
    page.setViewportSize(size.width, size.height);
  }

  String status(String ticket) {
    return server.sql("SELECT status FROM ticket WHERE id = $1", UUID.fromString(ticket)).iterator().next().getString(0);
  }

  @Test
  void signInWithTheKeyboardThenOpenTheCounterCallStartAndFinishAVisit() {
    var place = place("Servicepunkt Konsol");
    var lobby = place.lobby();
    String counter = lobby.counter("Lucka 1", "desk");
    var account = staff(lobby, place.general(), place.other());

    var response = open("/staff/sign-in");
    assertSecurityHeaders(response, "the sign-in page");
    checkPage("sv", "the sign-in page");
    screenshots("staff-sign-in-sv");

    // the keyboard alone: nothing typed, then a wrong password, then the right one
    tabTo("#email");
    page.keyboard().press("Enter");
    page.waitForSelector("[data-errors]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    assertEquals(Boolean.TRUE, page.evaluate("() => document.activeElement.matches('[data-errors]')"), "the summary has the focus");
    assertTrue(page.textContent("#email-error").contains("Skriv din e-postadress"));
    assertTrue(page.title().startsWith("Fel:"), page.title());
    checkPage("sv", "the sign-in page with errors");
    screenshots("staff-sign-in-errors-sv");
    tabTo("#email");
    page.keyboard().type(account.email());
    page.keyboard().press("Tab");
    page.keyboard().type("not-the-password");
    page.keyboard().press("Enter");
    page.waitForFunction("() => document.querySelector('#password-error').textContent.includes('fel')");
    assertEquals(account.email(), page.inputValue("#email"), "what was typed is kept");
    checkPage("sv", "the sign-in page after a wrong password");
    tabTo("#password");
    page.keyboard().type(TestServer.PASSWORD);
    page.keyboard().press("Enter");
    page.waitForURL(java.util.regex.Pattern.compile(".*/staff$"));
    page.waitForSelector("[data-place]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    assertFalse(page.url().contains("token"), "no token in the address");
    assertNotNull(page.evaluate("() => JSON.parse(sessionStorage.getItem('servicepunkt.staff.session')).token"));
    assertNotNull(page.evaluate("e => localStorage.getItem('servicepunkt.staff.device.' + e)", account.email()),
        "the device's token is kept for the next sign-in");
    assertTrue(page.textContent("[data-who]").contains(account.email()));
    checkPage("sv", "choosing the counter");
    screenshots("console-place-sv");

    // the only point of the organisation is chosen already; its only counter too
    tabTo("[data-place-form] button[type=submit]");
    page.keyboard().press("Enter");
    waitLive(page);
    assertEquals("closed", state(page).get("counter"));
    assertEquals("true", page.getAttribute("[data-action=call-next]", "aria-disabled"), "no calls at a closed counter");
    checkPage("sv", "the console, counter closed");
    consoleScreenshots("console-closed-sv");

    // a reload keeps the session and the counter chosen on this device
    page.reload();
    waitLive(page);
    assertTrue(page.isVisible("[data-work]"), "straight to the counter");
    assertEquals(counter, page.evaluate("() => JSON.parse(localStorage.getItem('servicepunkt.console.place')).counter"));

    tabTo("[data-action=open]");
    page.keyboard().press("Enter");
    page.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
    var first = lobby.ticket(place.general());
    var second = lobby.ticket(place.other());
    page.waitForFunction("() => window.servicepunktConsole.state().waiting === 2");
    assertTrue(page.textContent("[data-queue]").contains(first.getString("number")));
    assertTrue(page.textContent("[data-queue]").contains("Pass och id-kort"));
    checkPage("sv", "the console, counter open with a queue");
    consoleScreenshots("console-open-sv");

    // Alt+N calls the next; pressed again at once it calls nobody else
    page.keyboard().press("Alt+n");
    page.keyboard().press("Alt+n");
    page.waitForFunction("n => window.servicepunktConsole.state().current === n", first.getString("number"));
    assertEquals("called", status(first.getString("id")));
    assertEquals("waiting", status(second.getString("id")), "a double press calls one visitor");
    assertEquals("true", page.getAttribute("[data-action=call-next]", "aria-disabled"), "call next rests");
    assertTrue(page.textContent("[data-visitor]").contains("Allmänna frågor"));
    assertTrue(page.textContent("[data-visitor]").contains("Utan bokning"));
    page.waitForFunction("() => document.querySelector('[data-announce]').textContent.includes('ropad')");
    checkPage("sv", "the console, a visitor called");
    consoleScreenshots("console-called-sv");

    tabTo("[data-action=start]");
    page.keyboard().press("Enter");
    page.waitForFunction("() => document.querySelector('[data-console]').dataset.visitor === 'serving'");
    page.waitForFunction("() => document.activeElement.id === 'outcome'"); // the focus goes on to the outcome
    checkPage("sv", "the console, serving");
    consoleScreenshots("console-serving-sv");
    page.keyboard().type("Hjälp med e-legitimation");
    page.keyboard().press("Enter");
    page.waitForFunction("() => window.servicepunktConsole.state().current === null");
    assertEquals("done", status(first.getString("id")));
    assertEquals("Hjälp med e-legitimation", server.sql("SELECT outcome FROM ticket WHERE id = $1",
        UUID.fromString(first.getString("id"))).iterator().next().getString(0));
    page.waitForFunction("() => document.activeElement.dataset.action === 'call-next'"); // back to call next

    // signing out forgets the token, and the API no longer takes it
    String token = (String) page.evaluate("() => JSON.parse(sessionStorage.getItem('servicepunkt.staff.session')).token");
    page.click("[data-sign-out]");
    page.waitForURL(java.util.regex.Pattern.compile(".*/staff/sign-in\\?signedOut=1$"));
    assertTrue(page.textContent("main").contains("Du är utloggad"));
    assertNull(page.evaluate("() => sessionStorage.getItem('servicepunkt.staff.session')"));
    assertEquals(401, server.get("/api/v1/auth/me", token).statusCode());
    open("/staff");
    page.waitForURL(java.util.regex.Pattern.compile(".*/staff/sign-in$"));
  }

  @Test
  void twoConsolesSeeEachOthersCallsWithinASecondInEnglish() {
    var place = place("Servicepunkt Två luckor");
    var lobby = place.lobby();
    String counterA = lobby.counter("Lucka 1", "desk");
    String counterB = lobby.counter("Lucka 2", "desk");
    var staffA = staff(lobby, place.general(), place.other());
    var staffB = staff(lobby, place.general(), place.other());
    var tickets = List.of(lobby.ticket(place.general()), lobby.ticket(place.general()), lobby.ticket(place.general()));

    signInAndChoose(page, staffA, counterA, "?lang=en");
    BrowserContext otherContext = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setViewportSize(1280, 900));
    try {
      Page b = otherContext.newPage();
      signInAndChoose(b, staffB, counterB, "?lang=en");
      page.click("[data-action=open]");
      b.click("[data-action=open]");
      page.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
      b.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
      b.waitForFunction("() => window.servicepunktConsole.state().waiting === 3");
      assertEquals("en", b.getAttribute("html", "lang"));

      // A calls next: B's queue drops that ticket within a second
      String firstNumber = tickets.get(0).getString("number");
      assertTrue(b.textContent("[data-queue]").contains(firstNumber));
      long start = System.nanoTime();
      page.click("[data-action=call-next]");
      b.waitForFunction("n => ![...document.querySelectorAll('[data-queue] th')].some(th => th.textContent === n)",
          firstNumber, new Page.WaitForFunctionOptions().setTimeout(1_000));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1_000, "B saw A's call after " + millis + " ms");
      b.waitForFunction("n => document.querySelector('[data-counters]').textContent.includes(n)", firstNumber);
      page.waitForFunction("n => window.servicepunktConsole.state().current === n", firstNumber);

      // B calls a chosen ticket (the third) from its list; A's list drops it
      String thirdId = tickets.get(2).getString("id");
      b.click("[data-call='" + thirdId + "']");
      b.waitForFunction("n => window.servicepunktConsole.state().current === n", tickets.get(2).getString("number"));
      assertEquals("called", status(thirdId));
      page.waitForFunction("() => window.servicepunktConsole.state().waiting === 1");
      page.bringToFront();
      checkPage("en", "console A, a visitor called");
      consoleScreenshots("console-called-en");

      // B moves its visitor to the other errand; A returns its visitor to the queue
      b.selectOption("#transfer-service", place.other());
      b.click("[data-action=transfer]");
      b.waitForFunction("() => window.servicepunktConsole.state().current === null");
      page.waitForFunction("() => document.querySelector('[data-queue]').textContent.includes('Pass och id-kort')");
      page.click("[data-action=return]");
      page.waitForFunction("() => window.servicepunktConsole.state().current === null");
      b.waitForFunction("() => window.servicepunktConsole.state().waiting === 3");
      assertEquals("waiting", status(tickets.get(0).getString("id")));
      checkPage("en", "console A, counter open with a queue");

      // pause with a reason (asked for, never assumed) and resume; a paused counter calls nobody
      page.click("[data-action=pause]");
      page.waitForSelector("[data-pause-form]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertEquals(Boolean.TRUE, page.evaluate("() => document.activeElement.id === 'pause-lunch'"), "the focus is on the reasons");
      page.click("[data-pause-submit]");
      page.waitForSelector("[data-pause-error]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertEquals("open", state(page).get("counter"), "no reason, no pause");
      checkPage("en", "console A, asked why it pauses");
      consoleScreenshots("console-pause-reason-en");
      page.check("#pause-meeting");
      page.click("[data-pause-submit]");
      page.waitForFunction("() => window.servicepunktConsole.state().counter === 'paused'");
      assertEquals("meeting", server.sql("SELECT pause_reason FROM counter_session WHERE counter_id = $1 AND status = 'paused'",
          UUID.fromString(counterA)).iterator().next().getString(0));
      assertTrue(page.textContent("[data-counter-state]").contains("paused (meeting) since"), page.textContent("[data-counter-state]"));
      assertEquals("true", page.getAttribute("[data-action=call-next]", "aria-disabled"));
      b.waitForFunction("() => document.querySelector('[data-counters]').textContent.includes('paused (meeting) since')");
      checkPage("en", "console A, paused");
      b.reload(); // a fresh snapshot says so too
      waitLive(b);
      b.waitForFunction("() => document.querySelector('[data-counters]').textContent.includes('paused (meeting) since')");
      page.click("[data-action=resume]");
      page.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
      page.click("[data-action=close]");
      page.waitForFunction("() => window.servicepunktConsole.state().counter === 'closed'");
      checkPage("en", "console A, counter closed");
    } finally {
      otherContext.close();
    }
  }

  /** A booking of the service at the lobby, made as the booking service would (a free member of staff, a reference). */
  String bookToday(Lobby lobby, String service, Account staff, java.time.Instant start, String name) {
    String reference = (UUID.randomUUID().toString().replace("-", "").substring(0, 4) + "-"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 4)).toUpperCase(java.util.Locale.ROOT);
    server.sql("INSERT INTO booking (reference, manage_token_hash, service_point_id, service_id, staff_id, channel, "
        + "period, language, name, email) VALUES ($1, '\\x00', $2, $3, $4, 'desk', tstzrange($5, $6, '[)'), 'sv', $7, "
        + "'besok@example.se')",
        reference, UUID.fromString(lobby.point), UUID.fromString(service), UUID.fromString(staff.id()),
        start.atOffset(java.time.ZoneOffset.UTC), start.plusSeconds(1200).atOffset(java.time.ZoneOffset.UTC), name);
    return reference;
  }

  @Test
  void todaysBookingsAreListedAndAVisitorAtTheDeskIsCheckedInSeenByAColleagueAtOnce() {
    var place = place("Servicepunkt Bokningar");
    var lobby = place.lobby();
    String counterA = lobby.counter("Lucka 1", "desk");
    String counterB = lobby.counter("Lucka 2", "desk");
    var staffA = staff(lobby, place.general());
    var staffB = staff(lobby, place.general(), place.other());
    var now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    String soon = bookToday(lobby, place.general(), staffA, now.plusSeconds(600), "Astrid Lindqvist");
    var zone = java.time.ZoneId.of("Europe/Stockholm");
    var later = now.plusSeconds(150 * 60);
    boolean laterToday = later.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
    String afternoon = bookToday(lobby, place.other(), staffB, later, "Bertil Ek");

    signInAndChoose(page, staffA, counterA, "");
    page.click("[data-action=open]");
    page.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
    int expected = laterToday ? 2 : 1;
    page.waitForFunction("n => window.servicepunktConsole.state().bookings === n", expected);
    String list = page.textContent("[data-bookings]");
    assertTrue(list.contains("Astrid Lindqvist, " + soon), list);
    assertTrue(list.contains("Inte incheckad"), list);
    if (laterToday) {
      assertTrue(list.contains("Bertil Ek, " + afternoon), list);
      assertTrue(list.contains("Kan checkas in från kl."), "check-in is not open yet for the afternoon: " + list);
      assertEquals(1, page.locator("[data-check-in]").count(), "one visitor can be checked in now");
    }
    checkPage("sv", "the console with today's bookings");
    consoleScreenshots("console-bookings-sv");

    BrowserContext otherContext = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setViewportSize(1280, 900));
    try {
      Page b = otherContext.newPage();
      signInAndChoose(b, staffB, counterB, "");
      b.waitForFunction("n => window.servicepunktConsole.state().bookings === n", expected);

      // the visitor is at the desk: A checks her in with the keyboard
      tabTo("[data-check-in='" + soon + "']");
      page.keyboard().press("Enter");
      page.waitForFunction("() => window.servicepunktConsole.state().checkedIn === 1");
      var ticket = server.sql("SELECT t.number, t.status FROM ticket t JOIN booking k ON k.id = t.booking_id "
          + "WHERE k.reference = $1", soon).iterator().next();
      assertEquals("waiting", ticket.getString("status"));
      String number = ticket.getString("number");
      page.waitForFunction("n => document.querySelector('[data-bookings]').textContent.includes('Incheckad som ' + n)", number);
      page.waitForFunction("n => document.querySelector('[data-announce]').textContent.includes('incheckad som ' + n)", number);
      page.waitForFunction("() => window.servicepunktConsole.state().waiting === 1");
      for (int i = 0; i < 100 && server.sql("SELECT 1 FROM audit_event WHERE staff_id = $1 AND action = $2 AND status = 201",
          UUID.fromString(staffA.id()), "POST /api/v1/bookings/:reference/check-in").size() == 0; i++) {
        page.waitForTimeout(20); // the audit log writes its row once the answer has gone out
      }
      assertEquals(1L, server.sql("SELECT count(*) FROM audit_event WHERE staff_id = $1 AND action = $2 AND status = 201",
          UUID.fromString(staffA.id()), "POST /api/v1/bookings/:reference/check-in").iterator().next().getLong(0));
      checkPage("sv", "the console after a check-in");
      // B's list follows at once, from the staff stream
      b.waitForFunction("n => document.querySelector('[data-bookings]').textContent.includes('Incheckad som ' + n)", number,
          new Page.WaitForFunctionOptions().setTimeout(3_000));
    } finally {
      otherContext.close();
    }
  }

  @Test
  void aClerkBooksForAResidentOnThePhoneWithTheResidentsOwnPagesAndTheBookingIsRecordedAsTheirs() {
    var place = place("Servicepunkt Telefonbokning");
    var lobby = place.lobby();
    String counter = lobby.counter("Lucka 1", "desk");
    var account = staff(lobby, place.general(), place.other());
    var tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Stockholm")).plusDays(1);
    var shift = new JsonObject().put("staffId", account.id()).put("servicePointId", lobby.point).put("channel", "desk")
        .put("start", tomorrow.atTime(9, 0).atZone(java.time.ZoneId.of("Europe/Stockholm")).toOffsetDateTime().toString())
        .put("end", tomorrow.atTime(12, 0).atZone(java.time.ZoneId.of("Europe/Stockholm")).toOffsetDateTime().toString());
    var planned = server.post("/api/v1/shifts/batch", lobby.admin, new JsonObject().put("shifts", new JsonArray().add(shift)));
    assertEquals(201, planned.statusCode(), planned.bodyAsString());

    signInAndChoose(page, account, counter, "");
    assertTrue(page.getAttribute("[data-book-for]", "href").endsWith("/boka?servicepunkt=" + lobby.point + "&personal=1"));
    Page booking = context.waitForPage(() -> page.click("[data-book-for]"));
    booking.waitForLoadState();
    assertNotNull(booking.evaluate("() => sessionStorage.getItem('servicepunkt.staff.session')"),
        "the new tab shares the console's sign-in");
    // the residents' questions: errand, day, time, details
    booking.waitForURL(url -> url.contains("/boka/tjanst"));
    booking.check("input[name=tjanst][value='" + place.other() + "']");
    booking.click("main button[type=submit]");
    booking.waitForURL(url -> url.contains("/boka/dag"));
    booking.click("a.day");
    booking.waitForURL(url -> url.contains("/boka/tid"));
    booking.check("input[name=tid] >> nth=0");
    booking.click("main button[type=submit]");
    booking.waitForURL(url -> url.contains("/boka/uppgifter"));
    assertTrue(booking.url().contains("personal=1"), booking.url());
    booking.fill("#namn", "Greta Telefon");
    booking.fill("#epost", "greta@example.se");
    booking.check("#samtycke");
    booking.click("main button[type=submit]");
    booking.waitForURL(url -> url.contains("/boka/kontrollera"));
    booking.waitForFunction("() => document.querySelector('[data-staff-who]').textContent.includes('@lobby.example')");
    assertTrue(booking.textContent("[data-staff-booking]").contains("Du bokar åt en invånare som personal"));
    String checkUrl = booking.url();
    Page before = page;
    page = booking;
    try {
      checkPage("sv", "the check page of a booking made by staff");
      screenshots("console-book-for-check-sv");
    } finally {
      page = before;
    }

    // without the staff sign-in (a tab that does not share it) nothing is booked, and the page says why
    BrowserContext stranger = browser.newContext();
    try {
      Page other = stranger.newPage();
      other.navigate(checkUrl);
      other.click("main form button[type=submit]");
      other.waitForSelector("[data-staff-problem]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertTrue(other.textContent("[data-staff-problem]").contains("inte inloggad som personal"));
      assertEquals(0L, server.sql("SELECT count(*) FROM booking WHERE name = 'Greta Telefon'").iterator().next().getLong(0));
    } finally {
      stranger.close();
    }

    booking.click("main form button[type=submit]");
    booking.waitForURL(url -> url.contains("/boka/klar/"));
    assertTrue(booking.textContent("main").contains("Bokningen är gjord av dig"), booking.textContent("main"));
    var made = server.sql("SELECT reference, created_by FROM booking WHERE name = 'Greta Telefon'").iterator().next();
    assertEquals(account.id(), made.getUUID("created_by").toString(), "recorded as the clerk's booking");
    String reference = made.getString("reference");
    assertTrue(booking.textContent(".reference").contains(reference));
    for (int i = 0; i < 100 && server.sql("SELECT 1 FROM audit_event WHERE action = 'POST /boka/kontrollera'").size() == 0; i++) {
      page.waitForTimeout(20);
    }
    var audit = server.sql("SELECT staff_id, target, status FROM audit_event WHERE action = 'POST /boka/kontrollera'")
        .iterator().next();
    assertEquals(account.id(), audit.getUUID("staff_id").toString());
    assertEquals(reference, audit.getJsonObject("target").getString("reference"));
    assertEquals(303, audit.getInteger("status"));
    booking.click("text=Tillbaka till luckan");
    booking.waitForURL(url -> url.endsWith("/staff"));
    waitLive(booking);
  }

  /**
   * Issue 12's quality bar: two consoles and a screen open at once; A calls next, the screen shows
   * the call and B's queue drops the ticket within a second; then the server's LISTEN connection is
   * killed and the screen's stream cut while more calls are made, and all three catch up with
   * nothing missed (and the screen with nothing shown twice).
   */
  @Test
  void twoConsolesAndAScreenSeeACallWithinASecondAndCatchUpAfterTheListenConnectionAndTheScreenAreCut() throws Exception {
    var place = place("Servicepunkt Tre fönster");
    var lobby = place.lobby();
    String counterA = lobby.counter("Lucka 1", "desk");
    String counterB = lobby.counter("Lucka 2", "desk");
    var staffA = staff(lobby, place.general());
    var staffB = staff(lobby, place.general());
    var token = Fixtures.created(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", lobby.admin,
        new JsonObject().put("name", "Skärm entré"))).getString("token");
    var tickets = List.of(lobby.ticket(place.general()), lobby.ticket(place.general()), lobby.ticket(place.general()),
        lobby.ticket(place.general()));
    var screenProxy = ScreenBrowserTest.Proxy.start(server.vertx(), server.port()); // the screen's own network, to cut
    BrowserContext other = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 900));
    BrowserContext tv = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1920, 1080));
    try {
      signInAndChoose(page, staffA, counterA, "");
      Page b = other.newPage();
      signInAndChoose(b, staffB, counterB, "");
      Page screen = tv.newPage();
      screen.navigate("http://localhost:" + screenProxy.port + "/screen/" + lobby.point);
      screen.fill("#token", token);
      screen.click("button[value=off]");
      screen.waitForFunction("() => window.servicepunktScreen && window.servicepunktScreen.state().lastId != null");
      page.click("[data-action=open]");
      b.click("[data-action=open]");
      page.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
      b.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
      b.waitForFunction("() => window.servicepunktConsole.state().waiting === 4");

      // A calls: within a second the screen shows it and B's queue no longer has it
      String first = tickets.get(0).getString("number");
      long start = System.nanoTime();
      page.click("[data-action=call-next]");
      screen.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", first,
          new Page.WaitForFunctionOptions().setTimeout(1_000).setPollingInterval(20));
      b.waitForFunction("n => ![...document.querySelectorAll('[data-queue] th')].some(th => th.textContent === n)", first,
          new Page.WaitForFunctionOptions().setTimeout(1_000).setPollingInterval(20));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1_000, "the screen and console B saw A's call after " + millis + " ms");

      // the server's LISTEN connection killed, the screen's network cut; calls go on meanwhile
      var listeners = server.sql("SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'");
      assertEquals(1, listeners.size(), "one LISTEN connection");
      int pid = listeners.iterator().next().getInteger(0);
      screenProxy.cut();
      assertTrue(server.sql("SELECT pg_terminate_backend($1)", pid).iterator().next().getBoolean(0));
      screen.waitForSelector(".screen-stale", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
          .setTimeout(6_000));
      String[] called = new String[3];
      page.click("[data-action=start]");
      page.waitForFunction("() => document.querySelector('[data-console]').dataset.visitor === 'serving'");
      page.click("[data-action=finish]");
      page.waitForFunction("() => window.servicepunktConsole.state().current === null");
      page.waitForTimeout(2_100); // call next rests two seconds after a call
      page.click("[data-action=call-next]");
      page.waitForFunction("() => window.servicepunktConsole.state().current !== null");
      called[1] = (String) state(page).get("current");
      b.waitForFunction("n => window.servicepunktConsole.state().waiting === 2");
      b.click("[data-action=call-next]");
      b.waitForFunction("() => window.servicepunktConsole.state().current !== null");
      called[2] = (String) state(b).get("current");
      assertEquals(List.of(tickets.get(1).getString("number"), tickets.get(2).getString("number")),
          List.of(called[1], called[2]));
      Integer newPid = null;
      for (int i = 0; i < 200 && newPid == null; i++) {
        var again = server.sql("SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND pid <> $1", pid);
        newPid = again.size() == 1 ? again.iterator().next().getInteger(0) : null;
        Thread.sleep(50);
      }
      assertTrue(newPid != null, "listening again, on a new connection");
      screenProxy.restore();

      // all three caught up: the screen shows every call once, newest first; each console knows the other's call
      screen.waitForSelector(".screen-stale", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN)
          .setTimeout(40_000));
      screen.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", called[2]);
      assertEquals(List.of(called[2], called[1], first),
          screen.evaluate("() => [...document.querySelectorAll('.screen-call .screen-number')].map(e => e.textContent)"),
          "nothing missed, nothing twice");
      for (Page console : List.of(page, b)) {
        console.waitForFunction("() => window.servicepunktConsole.state().waiting === 1");
        console.waitForFunction("ns => ns.every(n => document.querySelector('[data-counters]').textContent.includes(n))",
            List.of(called[1], called[2]));
        assertEquals("true", String.valueOf(console.evaluate("() => window.servicepunktConsole.state().live")));
      }
      assertEquals(tickets.get(3).getString("number"), page.textContent("[data-queue] th"));
    } finally {
      other.close();
      tv.close();
      screenProxy.close();
    }
  }

  @Test
  void aCutNetworkShowsOfflineAndRestsTheButtonsUntilTheConsoleHasCaughtUp() {
    var place = place("Servicepunkt Avbrott");
    var lobby = place.lobby();
    String counter = lobby.counter("Lucka 1", "desk");
    var account = staff(lobby, place.general());
    lobby.ticket(place.general());
    signInAndChoose(page, account, counter, "");
    page.click("[data-action=open]");
    page.waitForFunction("() => window.servicepunktConsole.state().counter === 'open'");
    page.waitForFunction("() => window.servicepunktConsole.state().waiting === 1");
    assertNotEquals("true", page.getAttribute("[data-action=call-next]", "aria-disabled"));

    proxy.cut();
    page.waitForSelector("[data-offline]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
        .setTimeout(6_000));
    assertTrue(page.textContent("[data-offline]").contains("Offline – återansluter"));
    assertEquals("true", page.getAttribute("[data-action=call-next]", "aria-disabled"), "call next rests while offline");
    assertEquals("true", page.getAttribute("[data-call]", "aria-disabled"), "so do the calls from the list");
    assertEquals("true", page.getAttribute("[data-action=close]", "aria-disabled"));
    checkPage("sv", "the console, offline");
    consoleScreenshots("console-offline-sv");

    var later = lobby.ticket(place.general()); // happens while the console cannot hear
    proxy.restore();
    page.waitForSelector("[data-offline]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN)
        .setTimeout(40_000));
    page.waitForFunction("() => window.servicepunktConsole.state().waiting === 2");
    assertTrue(page.textContent("[data-queue]").contains(later.getString("number")), "caught up with what happened");
    assertNotEquals("true", page.getAttribute("[data-action=call-next]", "aria-disabled"), "and works again");
  }

  @Test
  void refusedSignInsAreShownPlainlyAndATokenIsRefreshedBeforeItRunsOut() {
    var place = place("Servicepunkt Inloggning");
    var account = staff(place.lobby(), place.general());
    open("/staff/sign-in?lang=en");
    checkPage("en", "the sign-in page in English");
    page.route("**/api/v1/auth/login", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
        .setStatus(429).setHeaders(Map.of("Retry-After", "42", "Content-Type", "application/problem+json"))
        .setBody("{\"status\":429,\"title\":\"Too Many Requests\"}")));
    page.fill("#email", account.email());
    page.fill("#password", "whatever-it-is");
    page.click("[data-submit]");
    page.waitForFunction("() => document.querySelector('[data-errors]').textContent.includes('42 seconds')");
    checkPage("en", "sign-in refused: too many attempts");
    screenshots("staff-sign-in-429-en");
    page.unrouteAll();
    page.route("**/api/v1/auth/login", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
        .setStatus(503).setHeaders(Map.of("Retry-After", "3", "Content-Type", "application/problem+json"))
        .setBody("{\"status\":503,\"title\":\"Service Unavailable\"}")));
    page.fill("#password", "whatever-it-is");
    page.click("[data-submit]");
    page.waitForFunction("() => document.querySelector('[data-errors]').textContent.includes('very busy')");
    page.unrouteAll();

    // the real thing, then an exchange of the token as the console makes before it runs out
    page.fill("#password", TestServer.PASSWORD);
    page.click("[data-submit]");
    page.waitForURL(java.util.regex.Pattern.compile(".*/staff\\?lang=en$"));
    String before = (String) page.evaluate("() => JSON.parse(sessionStorage.getItem('servicepunkt.staff.session')).token");
    page.waitForTimeout(1_100); // tokens are stamped to the second
    Object status = page.evaluate("() => import('/static/staff-session.js').then(m => m.refresh())");
    assertEquals(200, ((Number) status).intValue());
    String after = (String) page.evaluate("() => JSON.parse(sessionStorage.getItem('servicepunkt.staff.session')).token");
    assertNotEquals(before, after, "a fresh token");
    assertEquals(200, server.get("/api/v1/auth/me", after).statusCode());

    // the next sign-in from this browser sends the device's token
    String device = (String) page.evaluate("e => localStorage.getItem('servicepunkt.staff.device.' + e)", account.email());
    assertNotNull(device);
    var sent = new java.util.concurrent.atomic.AtomicReference<String>();
    page.onRequest(request -> {
      if (request.url().endsWith("/api/v1/auth/login")) {
        sent.set(request.postData());
      }
    });
    open("/staff/sign-in?lang=en");
    page.fill("#email", account.email());
    page.fill("#password", TestServer.PASSWORD);
    page.click("[data-submit]");
    page.waitForURL(java.util.regex.Pattern.compile(".*/staff\\?lang=en$"));
    assertEquals(device, new JsonObject(sent.get()).getString("deviceToken"));
  }

  @Test
  void theStaffStreamSendsNamedHeartbeatsWithoutAnId() {
    var place = place("Servicepunkt Hjärtslag");
    var desk = place.lobby().desk("Lucka 1", "desk", place.general());
    try (var stream = server.stream("/api/v1/service-points/" + place.lobby().point + "/queue/events?access_token=" + desk.token())) {
      stream.next("snapshot");
      var heartbeat = stream.next("heartbeat");
      assertNull(heartbeat.id(), "no id: the last event id stays the last change's");
      assertEquals("{}", heartbeat.data());
    }
  }
}
