package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * The ticket pages in a real browser: taking a ticket (one question per page, errors, the keyboard
 * alone), following it live until a counter calls it (within two seconds), the stream dropping and
 * the page recovering by itself, kiosk mode (one ticket for a double tap, the QR code, the reset
 * after 20 seconds that leaves nothing of the visitor), leaving the queue, a closed point and a
 * video visitor admitted from the waiting room; every state axe-clean in Swedish and English, at
 * 320 px without sideways scrolling, with screenshots in {@code target/screenshots}.
 */
class TicketPagesBrowserTest extends BrowserTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final LocalDate DAY = LocalDate.of(2026, 12, 2);
  static final TestClock CLOCK = new TestClock(LocalDateTime.of(DAY, LocalTime.of(10, 0)).atZone(STOCKHOLM).toInstant());
  static final LocatorAssertions.IsVisibleOptions TWO_SECONDS = new LocatorAssertions.IsVisibleOptions().setTimeout(2000);

  static TestServer server;
  static Proxy proxy;
  static Fixtures fx;
  static String org;
  static String admin;
  static String general;
  static String permits;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of("sseHeartbeatSeconds", 1, "videoUrlTemplate", "https://video.example.se/{room}"),
        CLOCK);
    proxy = new Proxy(server.vertx(), server.port());
    fx = new Fixtures(server);
    org = fx.organisation("Region Gotland");
    admin = fx.token(org, "admin", "staff");
    general = Lobby.service(server, admin, "Allmänna frågor", "A", "desk", "video");
    permits = Lobby.service(server, admin, "Parkeringstillstånd", "P", "desk");
  }

  @AfterAll
  static void stopServer() {
    proxy.close();
    server.close();
  }

  /** The browser reaches the server through a proxy the tests can cut, as a proxy or a network does. */
  @Override
  protected String baseUrl() {
    return "http://localhost:" + proxy.port;
  }

  /**
   * A TCP proxy in front of the server: {@link #drop} cuts every open connection (the event stream's
   * too), and while {@code refuse} is set every new connection gets a 502, after which a browser's
   * EventSource gives up for good, as it does behind a real proxy whose upstream is gone.
   */
  static final class Proxy {
    final int port;
    volatile boolean refuse;
    private final io.vertx.core.net.NetServer listener;
    private final io.vertx.core.net.NetClient client;
    private final java.util.Set<io.vertx.core.net.NetSocket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Proxy(io.vertx.core.Vertx vertx, int target) {
      client = vertx.createNetClient();
      listener = vertx.createNetServer().connectHandler(in -> {
        if (refuse) {
          in.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .onComplete(x -> in.close());
          return;
        }
        in.pause();
        client.connect(target, "localhost").onSuccess(out -> {
          open.add(in);
          open.add(out);
          in.handler(out::write);
          out.handler(in::write);
          in.closeHandler(v -> {
            open.remove(in);
            out.close();
          });
          out.closeHandler(v -> {
            open.remove(out);
            in.close();
          });
          in.resume();
        }).onFailure(e -> in.close());
      });
      port = listener.listen(0, "localhost").await().actualPort();
    }

    void drop() {
      open.forEach(io.vertx.core.net.NetSocket::close);
    }

    void close() {
      listener.close().await();
      client.close().await();
    }
  }

  Lobby lobby(String name) {
    return new Lobby(server, fx, org, admin, name, general, permits);
  }

  long tickets(Lobby lobby) {
    return server.sql("SELECT count(*) FROM ticket WHERE service_point_id = $1", UUID.fromString(lobby.point))
        .iterator().next().getLong(0);
  }

  void check(String lang, String what) {
    checkPage(lang, what + " (" + lang + ")");
  }

  @Test
  void aVisitorTakesATicketAndSeesTheCounterWithinTwoSeconds() {
    for (String lang : List.of("sv", "en")) {
      Lobby lobby = lobby("Hemse " + lang);
      var desk = lobby.desk("Lucka 3", "desk", general, permits);
      Response response = open("/service-points/" + lobby.point + "/ticket?lang=" + lang);
      assertSecurityHeaders(response, "the first question");
      check(lang, "which errand");
      screenshots("ticket-service-" + lang);

      page.click("button[type=submit]");
      assertTrue(page.locator(".error-summary").isVisible(), "an error summary");
      page.waitForFunction("() => document.activeElement?.getAttribute('aria-labelledby') === 'error-summary-title'",
          null, new Page.WaitForFunctionOptions().setTimeout(3000)); // focus on the error summary
      check(lang, "which errand, nothing chosen");
      screenshots("ticket-service-error-" + lang);

      page.check("label:has-text('Parkeringstillstånd')");
      page.click("button[type=submit]");
      page.waitForURL(Pattern.compile(".*/ticket/fortur\\?.*"));
      check(lang, "priority");
      screenshots("ticket-priority-" + lang);
      page.click("button[type=submit]");
      assertTrue(page.locator(".error-summary").isVisible(), "an error summary on the second question");
      check(lang, "priority, nothing chosen");
      page.check("#fortur-ingen");
      page.click("button[type=submit]");

      page.waitForURL(Pattern.compile(".*/t/.*"));
      assertEquals("P001", page.textContent(".ticket-number").trim());
      assertEquals(lang.equals("sv") ? "Du är näst på tur." : "You are next.", page.textContent("[data-state-text]").trim());
      assertTrue(page.locator(".ticket-qr").isVisible(), "a QR code to follow it on a phone");
      String link = page.textContent(".ticket-link").trim();
      assertTrue(link.matches("http.*/k/[A-Z2-9]{4}-[A-Z2-9]{4}"), "and a short link: " + link);
      check(lang, "ticket, waiting");
      screenshots("ticket-waiting-" + lang);
      page.locator("[data-announce]").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
          .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
      // the stream is open once its snapshot has come: the state text is rewritten, the updated time too
      page.waitForFunction("() => !document.querySelector('[data-stale]').textContent", null,
          new Page.WaitForFunctionOptions().setTimeout(5000));
      page.waitForTimeout(300);

      assertEquals("P001", lobby.callNext(desk));
      String turn = lang.equals("sv") ? "Det är din tur – gå till Lucka 3." : "It is your turn – go to Lucka 3.";
      PlaywrightAssertions.assertThat(page.locator("[data-state-text]:has-text('Lucka 3')")).isVisible(TWO_SECONDS);
      assertEquals(turn, page.textContent("[data-state-text]").trim());
      PlaywrightAssertions.assertThat(page.locator("[data-alert]")).hasText(turn);
      assertFalse(page.locator("[data-leave]").isVisible(), "no leaving once called");
      check(lang, "ticket, called");
      screenshots("ticket-called-" + lang);

      // the short link, typed on a phone in any case, leads to the same ticket
      String code = link.substring(link.lastIndexOf('/') + 1);
      open("/k/" + code.toLowerCase().replace("-", " ") + "?lang=" + lang);
      assertEquals("P001", page.textContent(".ticket-number").trim());
      assertTrue(page.url().contains("/t/"), page.url());
      assertEquals(404, open("/k/AAAA-AAAA?lang=" + lang).status(), "a code of no ticket");
    }
  }

  @Test
  void theWholeFlowWorksWithTheKeyboardAlone() {
    Lobby lobby = lobby("Visby tangentbord");
    open("/service-points/" + lobby.point + "/ticket");
    var stops = tabThrough();
    stops.forEach(stop -> assertTrue(stop.visible(), "no visible focus on " + stop.element()));
    page.focus("#main");
    pressTabUntil("input[name=service]");
    page.keyboard().press("ArrowDown"); // the second errand: Parkeringstillstånd
    assertTrue((Boolean) page.evaluate("() => document.activeElement.checked"), "arrow keys choose");
    pressTabUntil("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(Pattern.compile(".*/ticket/fortur\\?.*"));
    tabThrough().forEach(stop -> assertTrue(stop.visible(), "no visible focus on " + stop.element()));
    page.focus("#main");
    pressTabUntil("input[name=fortur]");
    page.keyboard().press("Space");
    pressTabUntil("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(Pattern.compile(".*/t/.*"));
    assertTrue(page.textContent(".ticket-number").trim().matches("[AP]001"), page.textContent(".ticket-number"));
    var onTicket = tabThrough();
    assertEquals(focusable(), onTicket.stream().map(Focus::element).toList(), "Tab reaches everything, in order");
    onTicket.forEach(stop -> assertTrue(stop.visible(), "no visible focus on " + stop.element()));
    page.focus("#main");
    pressTabUntil("a:has-text('Lämna kön')");
    page.keyboard().press("Enter");
    page.waitForURL(Pattern.compile(".*/lamna\\?.*"));
    pressTabUntil("button[type=submit]");
    page.keyboard().press("Enter");
    page.waitForURL(Pattern.compile(".*lamnat=1.*"));
    assertEquals("Du har lämnat kön. Kölappen gäller inte längre.", page.textContent("[data-state-text]").trim());
  }

  /** Presses Tab until the focus is on an element matching {@code selector} (at most 40 times). */
  void pressTabUntil(String selector) {
    for (int i = 0; i < 40; i++) {
      page.keyboard().press("Tab");
      boolean there = (Boolean) page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
          selector.contains(":has-text") ? "a" : selector);
      if (there && (!selector.contains(":has-text") || page.evaluate("() => document.activeElement.textContent")
          .toString().contains(selector.replaceAll(".*has-text\\('(.*)'\\).*", "$1")))) {
        return;
      }
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  @Test
  void theTicketPageShowsReconnectingWhenTheStreamDropsAndCatchesUpByItself() {
    Lobby lobby = lobby("Slite återanslutning");
    var desk = lobby.desk("Lucka 7", "desk", general);
    lobby.ticket(general);
    JsonObject mine = lobby.ticket(general);
    open("/t/" + mine.getString("id") + "?token=" + mine.getString("token"));
    assertEquals("Du är nummer 2 i kön.", page.textContent("[data-state-text]").trim());
    page.waitForTimeout(1500); // the stream's snapshot and a heartbeat

    proxy.refuse = true;
    proxy.drop();
    try {
      PlaywrightAssertions.assertThat(page.locator("[data-stale]")).isVisible(
          new LocatorAssertions.IsVisibleOptions().setTimeout(5000));
      assertTrue(page.textContent("[data-stale]").contains("återansluter"), page.textContent("[data-stale]"));
      assertEquals("Du är nummer 2 i kön.", page.textContent("[data-state-text]").trim(), "the last known state stays");
      checkPage("sv", "ticket, reconnecting");
      screenshots("ticket-reconnecting-sv");
      lobby.callNext(desk); // the visitor before: this one moves up while the page is cut off
      page.waitForTimeout(3000); // long enough for EventSource to meet the 502 and give up
    } finally {
      proxy.refuse = false;
    }
    PlaywrightAssertions.assertThat(page.locator("[data-state-text]")).hasText("Du är näst på tur.",
        new LocatorAssertions.HasTextOptions().setTimeout(15000));
    PlaywrightAssertions.assertThat(page.locator("[data-stale]")).isHidden(
        new LocatorAssertions.IsHiddenOptions().setTimeout(5000));
    PlaywrightAssertions.assertThat(page.locator("[data-announce]")).hasText("Du är näst på tur."); // announced
  }

  @Test
  void aKioskGivesOneTicketForADoubleTapAndForgetsItAfterTwentySeconds() {
    Lobby lobby = lobby("Kiosken i Roma");
    page.clock().install();
    open("/service-points/" + lobby.point + "/ticket?kiosk=1");
    page.check("label:has-text('Allmänna frågor')");
    page.click("button[type=submit]");
    page.waitForURL(Pattern.compile(".*/ticket/fortur\\?.*kiosk=1.*"));
    page.check("#fortur-ingen");

    // a double tap that gets through (the script's lock aside): two posts of one form at once
    @SuppressWarnings("unchecked")
    List<Object> statuses = (List<Object>) page.evaluate("""
        async () => {
          const form = document.querySelector('form[data-once]');
          const send = () => fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)),
            redirect: 'manual' }).then(r => r.type);
          return Promise.all([send(), send()]);
        }""");
    assertEquals(List.of("opaqueredirect", "opaqueredirect"), statuses);
    assertEquals(1, tickets(lobby), "one ticket for a double tap");

    // and the button works once: a second press is not sent
    Object pressed = page.evaluate("""
        () => {
          const form = document.querySelector('form[data-once]');
          let sent = 0;
          form.addEventListener('submit', e => { if (!e.defaultPrevented) sent++; e.preventDefault(); });
          form.requestSubmit();
          form.requestSubmit();
          return [form.querySelector('button[type=submit]').disabled, sent];
        }""");
    assertEquals(List.of(true, 1), pressed);

    page.reload(); // the page as a new visitor gets it (a new key)
    page.check("#fortur-ingen");
    page.click("button[type=submit]");
    page.waitForURL(Pattern.compile(".*/t/.*kiosk=1.*"));
    assertTrue(page.textContent(".ticket-number").trim().matches("A00[23]"), "a new visitor's ticket (a number the "
        + "losing tap drew may be skipped): " + page.textContent(".ticket-number"));
    assertTrue(page.locator(".ticket-qr").isVisible(), "the QR code");
    assertTrue(page.locator("[data-print]").isVisible(), "a print button in kiosk mode");
    assertEquals(0, page.locator("[data-leave]").count(), "no leaving from a kiosk");
    check("sv", "kiosk ticket");
    screenshots("ticket-kiosk-sv");
    page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.PRINT));
    page.setViewportSize(302, 700); // 80 mm at 96 dpi
    page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
        .setPath(java.nio.file.Paths.get("target", "screenshots", "ticket-kiosk-print.png")));
    page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.SCREEN));
    page.setViewportSize(1280, 900);

    page.clock().runFor(11_000);
    assertTrue(page.locator("[data-kiosk-warning]").isVisible(), "a warning before the reset");
    check("sv", "kiosk ticket, warning");
    screenshots("ticket-kiosk-warning-sv");
    page.clock().runFor(10_000);
    page.waitForURL(Pattern.compile(".*/service-points/" + lobby.point + "/ticket\\?kiosk=1.*"));
    assertEquals(0, page.locator(".ticket-number").count());
    page.goBack();
    assertEquals(0, page.locator(".ticket-number").count(), "Back never shows the visitor's ticket");

    // the kiosk is remembered by the browser: the address without the flag stays a kiosk
    open("/service-points/" + lobby.point + "/ticket");
    page.waitForURL(Pattern.compile(".*kiosk=1.*"));
  }

  @Test
  void aVisitorLeavesTheQueueAfterConfirming() {
    Lobby lobby = lobby("Fårösund lämna");
    for (String lang : List.of("sv", "en")) {
      JsonObject mine = lobby.ticket(general);
      open("/t/" + mine.getString("id") + "?token=" + mine.getString("token") + "&lang=" + lang);
      page.click("[data-leave] a");
      page.waitForURL(Pattern.compile(".*/lamna\\?.*"));
      check(lang, "leave, confirmation");
      screenshots("ticket-leave-" + lang);
      page.click("button[type=submit]");
      page.waitForURL(Pattern.compile(".*lamnat=1.*"));
      assertTrue(page.locator(".notice").isVisible());
      check(lang, "ticket, left");
      screenshots("ticket-left-" + lang);
      assertEquals("cancelled", server.sql("SELECT status FROM ticket WHERE id = $1", UUID.fromString(mine.getString("id")))
          .iterator().next().getString(0));
    }
  }

  @Test
  void aClosedPointSaysWhenItOpensAndAWrongLinkFindsNothing() {
    Lobby closed = new Lobby(server, fx, org, admin, "Klintehamn stängt", new Lobby.Hours("07:00", "08:00"), general);
    open("/service-points/" + closed.point + "/ticket");
    assertEquals("Öppnar i morgon kl. 07.00.", page.textContent(".lead").trim());
    check("sv", "closed point");
    screenshots("ticket-closed-sv");
    open("/service-points/" + closed.point + "/ticket?lang=en");
    assertEquals("Opens tomorrow at 07:00.", page.textContent(".lead").trim());
    check("en", "closed point");

    for (String lang : List.of("sv", "en")) {
      Response response = open("/t/" + UUID.randomUUID() + "?token=nope&lang=" + lang);
      assertEquals(404, response.status());
      check(lang, "ticket not found");
      assertEquals(404, open("/service-points/" + UUID.randomUUID() + "/ticket?lang=" + lang).status());
      check(lang, "point not found");
    }
  }

  @Test
  void aVideoVisitorIsAdmittedFromTheWaitingRoom() {
    Lobby lobby = lobby("Digitala väntrummet");
    var room = lobby.desk("Videorum 1", "video", general);
    for (String lang : List.of("sv", "en")) {
      JsonObject mine = lobby.ticket(general, "video", null);
      open("/t/" + mine.getString("id") + "?token=" + mine.getString("token") + "&lang=" + lang);
      assertTrue(page.textContent("[data-state-text]").contains(lang.equals("sv") ? "digitala väntrummet" : "virtual waiting room"));
      assertFalse(page.locator("[data-video-join]").isVisible(), "no join button before admission");
      check(lang, "video, waiting");
      page.waitForTimeout(1500);
      lobby.callNext(room);
      PlaywrightAssertions.assertThat(page.locator("[data-video-join] a")).isVisible(TWO_SECONDS);
      assertTrue(page.getAttribute("[data-video-join] a", "href").startsWith("https://video.example.se/sp-"));
      check(lang, "video, admitted");
      screenshots("ticket-video-admitted-" + lang);
      server.post("/api/v1/tickets/" + mine.getString("id") + "/start", room.token(), null);
      server.post("/api/v1/tickets/" + mine.getString("id") + "/finish", room.token(), null);
    }
  }

  @Test
  void withJavaScriptOffThePagesStillWork() {
    Lobby lobby = lobby("Utan skript");
    BrowserContext plain = browser.newContext(new Browser.NewContextOptions().setJavaScriptEnabled(false));
    try {
      Page p = plain.newPage();
      p.navigate(baseUrl() + "/service-points/" + lobby.point + "/ticket?kiosk=1");
      p.check("label:has-text('Allmänna frågor')");
      p.click("button[type=submit]");
      p.check("#fortur-mobility");
      p.click("button[type=submit]");
      p.waitForURL(Pattern.compile(".*/t/.*kiosk=1.*"));
      assertEquals("A001", p.textContent(".ticket-number").trim());
      assertTrue(p.textContent("[data-state-text]").contains("näst på tur"));
      assertTrue(p.locator("[data-refresh]").isVisible(), "a refresh link");
      assertEquals("mobility", server.sql("SELECT priority_reason FROM ticket WHERE service_point_id = $1",
          UUID.fromString(lobby.point)).iterator().next().getString(0));
    } finally {
      plain.close();
    }
  }
}
