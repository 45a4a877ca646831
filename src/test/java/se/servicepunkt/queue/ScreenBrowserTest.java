package se.servicepunkt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * The reception screen (issue 12, item 3) in a real browser: set-up with the display token, calls
 * made through the API shown within a second, a recall shown and announced again, the stale
 * marker when the network drops and recovery with nothing missed or doubled, revoking blanks it,
 * and its DOM stays bounded under 5,000 events; axe-clean in each state. The browser reaches the
 * server through a small TCP proxy of the test's own, which can cut the network without closing
 * anything (as a dead Wi-Fi or a hung proxy does).
 */
class ScreenBrowserTest extends BrowserTest {
  static TestServer server;
  static Fixtures fx;
  static String org;
  static String admin;
  static String general;
  static Proxy proxy;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("sseHeartbeatSeconds", 1, "httpIdleTimeoutSeconds", 30));
    fx = new Fixtures(server);
    org = fx.organisation("Region Testland");
    admin = fx.token(org, "admin", "staff");
    general = created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", "Allmänna frågor")
        .put("nameEn", "General questions").put("ticketLetter", "A").put("durationMinutes", 20)
        .put("channels", new io.vertx.core.json.JsonArray().add("desk")).put("minNoticeMinutes", 0))).getString("id");
    proxy = Proxy.start(server.vertx(), server.port());
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

  record Screen(Lobby lobby, Lobby.Desk desk, String tokenId, String token) {
  }

  Screen screen(String name) {
    var lobby = new Lobby(server, fx, org, admin, name, general);
    var desk = lobby.desk("Lucka 3", "desk", general);
    var created = created(server.post("/api/v1/service-points/" + lobby.point + "/display-tokens", admin,
        new JsonObject().put("name", "Skärm entré")));
    return new Screen(lobby, desk, created.getString("id"), created.getString("token"));
  }

  JsonObject callNext(Lobby.Desk desk) {
    var called = server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
    assertEquals(200, called.statusCode(), called.bodyAsString());
    return called.bodyAsJsonObject();
  }

  /** Sets the screen up with the token through the form (without sound) and waits for its first state. */
  void setUp(Screen screen, String query) {
    open("/screen/" + screen.lobby().point + query);
    page.fill("#token", screen.token());
    page.click("button[value=off]");
    waitLive();
  }

  void waitLive() {
    page.waitForSelector("[data-live]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    page.waitForFunction("() => window.servicepunktScreen && window.servicepunktScreen.state().lastId != null");
  }

  String firstCall() {
    return (String) page.evaluate("() => document.querySelector('.screen-call .screen-number')?.textContent ?? null");
  }

  @SuppressWarnings("unchecked")
  List<String> shownNumbers() {
    return (List<String>) page.evaluate("() => [...document.querySelectorAll('.screen-call .screen-number')].map(e => e.textContent)");
  }

  int announcements() {
    String n = page.getAttribute("[data-screen]", "data-announcements");
    return n == null ? 0 : Integer.parseInt(n);
  }

  void tvScreenshots(String name) {
    var size = page.viewportSize();
    for (int[] tv : new int[][] {{1920, 1080}, {1280, 720}}) {
      page.setViewportSize(tv[0], tv[1]);
      page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", name + "-" + tv[0] + "x" + tv[1] + ".png")));
    }
    page.setViewportSize(size.width, size.height);
  }

  @Test
  void setUpWithTheKeyboardThenEachCallAppearsWithinASecondAndARecallIsShownAndAnnouncedAgain() {
    var screen = screen("Servicepunkt Skärm");
    var response = open("/screen/" + screen.lobby().point);
    assertSecurityHeaders(response, "the screen");
    checkPage("sv", "the screen's set-up");
    screenshots("screen-setup-sv");

    // the keyboard alone: no key, then a wrong one, then the right one with sound
    tabTo("token");
    page.keyboard().press("Enter");
    page.waitForSelector("[data-setup-errors]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    assertEquals("true", page.evaluate("() => String(document.activeElement.matches('[data-setup-errors]'))"),
        "the error summary has the focus");
    assertTrue(page.textContent("#token-error").contains("Klistra in"));
    checkPage("sv", "the set-up with an error");
    tabTo("token");
    page.keyboard().type("not-the-key");
    page.keyboard().press("Enter");
    page.waitForFunction("() => document.querySelector('#token-error').textContent.includes('gäller inte')");
    screenshots("screen-setup-error-sv");
    tabTo("token");
    page.keyboard().press("Control+A");
    page.keyboard().type(screen.token());
    page.keyboard().press("Tab");
    assertEquals("on", page.evaluate("() => document.activeElement.value"), "Start with sound comes next");
    page.keyboard().press("Enter");
    waitLive();
    assertTrue(page.textContent(".screen-point").contains("Servicepunkt Skärm"));
    assertEquals(Boolean.TRUE, page.evaluate("() => document.body.classList.contains('screen-running')"));
    assertNull(page.evaluate("() => localStorage.getItem('servicepunkt.screen.x')"));
    assertTrue(((String) page.evaluate("() => Object.keys(localStorage).join()")).contains(screen.lobby().point),
        "the token is kept on the device");
    assertFalse(page.url().contains(screen.token()), "the token is never in the page's address");
    checkPage("sv", "the screen, nobody called yet");

    screen.lobby().ticket(general);
    screen.lobby().ticket(general);
    page.waitForFunction("() => document.querySelector('[data-waiting] .screen-num')?.textContent === '2'"); // the waiting, live
    long start = System.nanoTime();
    var first = callNext(screen.desk());
    page.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n",
        first.getString("number"), new Page.WaitForFunctionOptions().setTimeout(1_000));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < 1_000, "the call took " + millis + " ms to reach the screen");
    assertTrue(page.textContent(".screen-call").contains("Lucka 3"));
    page.waitForFunction("() => document.querySelector('[data-screen]').dataset.announcements === '1'");
    assertEquals(first.getString("number").replaceFirst("^([A-Z]+)0*", "$1 ") + ", Lucka 3",
        page.getAttribute("[data-screen]", "data-last-announcement"), "said as people say it");
    var second = callNext(screen.desk());
    page.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", second.getString("number"));
    assertEquals(List.of(second.getString("number"), first.getString("number")), shownNumbers());
    page.waitForFunction("() => document.querySelector('[data-waiting] .screen-num')?.textContent === '0'");
    checkPage("sv", "the screen with calls");
    tvScreenshots("screen-calls");

    var recalled = server.post("/api/v1/tickets/" + first.getString("id") + "/recall", screen.desk().token(), null);
    assertEquals(200, recalled.statusCode(), recalled.bodyAsString());
    page.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", first.getString("number"));
    assertEquals(List.of(first.getString("number"), second.getString("number")), shownNumbers(), "shown once, on top");
    page.waitForFunction("() => document.querySelector('[data-screen]').dataset.announcements === '3'",
        null, new Page.WaitForFunctionOptions().setTimeout(10_000));
    assertTrue(page.getAttribute("[data-screen]", "data-last-announcement").endsWith("Lucka 3"));
    assertTrue(page.textContent("[data-announce]").contains(first.getString("number")), "the status region says it");
  }

  private void tabTo(String id) {
    for (int i = 0; i < 30 && !id.equals(page.evaluate("() => document.activeElement.id")); i++) {
      page.keyboard().press("Tab");
    }
    assertEquals(id, page.evaluate("() => document.activeElement.id"), "reached by Tab");
  }

  @Test
  void theScreenMarksItselfStaleWhenTheNetworkDropsAndCatchesUpWithNothingMissedOrDoubled() {
    var screen = screen("Servicepunkt Avbrott");
    for (int i = 0; i < 4; i++) {
      screen.lobby().ticket(general);
    }
    setUp(screen, "");
    var first = callNext(screen.desk());
    page.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", first.getString("number"));
    assertEquals("false", String.valueOf(page.evaluate("() => document.querySelector('.screen-stale').hidden === false")));

    proxy.cut();
    page.waitForSelector(".screen-stale", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
        .setTimeout(6_000));
    assertTrue(page.textContent(".screen-stale").contains("Anslutningen bröts"));
    assertEquals(List.of(first.getString("number")), shownNumbers(), "the last known state stays");
    checkPage("sv", "the stale screen");
    tvScreenshots("screen-stale");

    var second = callNext(screen.desk());
    var third = callNext(screen.desk());
    proxy.restore();
    page.waitForSelector(".screen-stale", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN)
        .setTimeout(40_000));
    page.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", third.getString("number"));
    assertEquals(List.of(third.getString("number"), second.getString("number"), first.getString("number")), shownNumbers(),
        "nothing missed, nothing twice");
    page.waitForFunction("() => document.querySelector('[data-screen]').dataset.announcements === '3'");
    page.waitForTimeout(500);
    assertEquals(3, announcements(), "each call announced once");
  }

  @Test
  void revokingTheTokenBlanksTheScreenInEnglishToo() {
    var screen = screen("Servicepunkt Återkallad");
    screen.lobby().ticket(general);
    setUp(screen, "?lang=en");
    var first = callNext(screen.desk());
    page.waitForFunction("n => document.querySelector('.screen-call .screen-number')?.textContent === n", first.getString("number"));
    checkPage("en", "the screen with a call, on an English page");

    assertEquals(204, server.delete("/api/v1/service-points/" + screen.lobby().point + "/display-tokens/" + screen.tokenId(),
        admin).statusCode());
    page.waitForSelector("[data-revoked]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
        .setTimeout(15_000));
    assertTrue(page.isHidden("[data-live]"), "the calls are gone");
    assertEquals(0, page.locator(".screen-call").count());
    assertTrue(page.textContent("[data-revoked]").contains("no longer connected"));
    assertEquals("", page.evaluate("() => Object.keys(localStorage).join()"), "the revoked token is forgotten");
    checkPage("en", "the revoked screen");
    screenshots("screen-revoked-en");
  }

  @Test
  void fiveThousandEventsKeepTheDomAndTheAnnouncementsBounded() {
    var screen = screen("Servicepunkt Långkörning");
    setUp(screen, "");
    int before = ((Number) page.evaluate("() => document.getElementsByTagName('*').length")).intValue();
    page.evaluate("""
        () => {
          const s = window.servicepunktScreen;
          let id = s.state().lastId;
          const waiting = [{ serviceId: 'x', channel: 'desk', waiting: 3, openCounters: 1, estimatedWaitMinutes: 10 }];
          for (let i = 1; i <= 5000; i++) {
            s.receive('ticket-called', ++id, { type: 'ticket-called', waiting,
              ticket: { number: 'A' + String(i % 1000).padStart(3, '0'), status: 'called', counterName: 'Lucka ' + (i % 9 + 1) } });
            s.receive('ticket-created', ++id, { type: 'ticket-created', waiting, ticket: { number: 'B' + i, status: 'waiting' } });
          }
        }""");
    int after = ((Number) page.evaluate("() => document.getElementsByTagName('*').length")).intValue();
    assertEquals(6, page.locator(".screen-call").count(), "the last six calls");
    assertTrue(after <= before + 6 * 4, "DOM grew from " + before + " to " + after);
    assertTrue(after < 300, "a fixed bound: " + after + " elements");
    var state = (Map<?, ?>) page.evaluate("() => window.servicepunktScreen.state()");
    assertTrue(((Number) state.get("queued")).intValue() <= 12, "announcements waiting: " + state.get("queued"));
    checkPage("sv", "the screen after 5,000 events");
    tvScreenshots("screen-six-calls");
  }

  @Test
  void theDisplayStreamSendsNamedHeartbeatsWithoutAnId() {
    var screen = screen("Servicepunkt Hjärtslag");
    try (var stream = server.stream("/api/v1/service-points/" + screen.lobby().point + "/display/events?token=" + screen.token())) {
      stream.next("snapshot");
      var heartbeat = stream.next("heartbeat");
      assertNull(heartbeat.id(), "no id: the last event id stays the last change's");
      assertEquals("{}", heartbeat.data());
    }
  }

  /** A TCP proxy to the server that can cut the network: bytes stop flowing, nothing is closed. */
  static final class Proxy {
    final Vertx vertx;
    final NetServer server;
    final int port;
    final int target;
    final Set<NetSocket> cutOff = ConcurrentHashMap.newKeySet();
    volatile boolean cut;

    private Proxy(Vertx vertx, NetServer server, int port, int target) {
      this.vertx = vertx;
      this.server = server;
      this.port = port;
      this.target = target;
    }

    static Proxy start(Vertx vertx, int target) throws Exception {
      var holder = new Proxy[1];
      NetServer server = vertx.createNetServer().connectHandler(client -> holder[0].accept(client));
      server.listen(0, "localhost").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      holder[0] = new Proxy(vertx, server, server.actualPort(), target);
      return holder[0];
    }

    private void accept(NetSocket client) {
      if (cut) {
        cutOff.add(client); // accepted, never answered
        client.handler(b -> { });
        return;
      }
      client.pause();
      vertx.createNetClient().connect(target, "localhost").onSuccess(upstream -> {
        client.handler(b -> {
          if (cut) {
            cutOff.add(client);
          } else {
            upstream.write(b);
          }
        });
        upstream.handler(b -> {
          if (cut) {
            cutOff.add(client);
          } else {
            client.write(b);
          }
        });
        client.closeHandler(v -> upstream.close());
        upstream.closeHandler(v -> client.close());
        client.resume();
      }).onFailure(e -> client.close());
    }

    /** From now on nothing gets through, in either direction, on old or new connections. */
    void cut() {
      cut = true;
    }

    /** The connections that were cut off are closed (as a timed-out network would), and new ones work. */
    void restore() {
      cut = false;
      cutOff.forEach(NetSocket::close);
      cutOff.clear();
    }

    void close() {
      server.close();
    }
  }
}
