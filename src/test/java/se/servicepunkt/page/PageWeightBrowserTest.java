package se.servicepunkt.page;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.demo.DemoData;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * No page weighs over 100 KB on a first visit (an empty cache): the HTML and everything it loads
 * from this server (stylesheet, scripts, icons, QR codes), event streams aside, on the demo data;
 * and nothing is loaded from another origin.
 */
class PageWeightBrowserTest extends BrowserTest {
  private static final int BUDGET = 100 * 1024;
  static final TestClock CLOCK = new TestClock(Instant.now());
  static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of("demo", true), CLOCK);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected String baseUrl() {
    return "http://localhost:" + server.port();
  }

  private record Weighed(String path, long bytes, List<String> loads) {
  }

  /** Opens {@code path} in a fresh context (nothing cached) and adds up what it loaded. */
  private Weighed weigh(String path) {
    var fresh = browser.newContext();
    try {
      var tab = fresh.newPage();
      var responses = new java.util.concurrent.CopyOnWriteArrayList<Response>();
      tab.onResponse(responses::add);
      tab.navigate(baseUrl() + path);
      tab.waitForLoadState();
      try { // a live page keeps its event stream open, so the network never idles there
        tab.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE,
            new com.microsoft.playwright.Page.WaitForLoadStateOptions().setTimeout(2_000));
      } catch (com.microsoft.playwright.TimeoutError streaming) {
        // what the page loads has loaded by now
      }
      long bytes = 0;
      var loads = new ArrayList<String>();
      for (Response response : List.copyOf(responses)) {
        String url = response.url();
        assertTrue(url.startsWith(baseUrl()), "only this server: " + url);
        if (url.contains("/events")) {
          continue; // a stream, not part of the page's weight
        }
        int size = response.body().length;
        bytes += size;
        loads.add(url.substring(baseUrl().length()) + " " + size);
      }
      return new Weighed(path, bytes, loads);
    } finally {
      fresh.close();
    }
  }

  @Test
  void everyResidentPageIsUnder100KbOnAFirstVisit() {
    String hemse = server.sql("SELECT id FROM service_point WHERE name = 'Hemse servicepunkt'").iterator().next()
        .getUUID(0).toString();
    String info = server.sql("SELECT id FROM service WHERE name_sv = 'Regional informationsdisk'").iterator().next()
        .getUUID(0).toString();
    var ticket = server.post("/api/v1/service-points/" + DemoData.LOBBY_ID + "/tickets", null,
        new io.vertx.core.json.JsonObject().put("serviceId", server.sql("SELECT s.id FROM service s JOIN service_offering o "
            + "ON o.service_id = s.id WHERE o.service_point_id = $1 LIMIT 1", DemoData.LOBBY_ID).iterator().next()
            .getUUID(0).toString()).put("channel", "desk").put("language", "sv")).bodyAsJsonObject();
    var paths = List.of("/", "/?lang=en", "/tillganglighet", "/integritet", "/hitta-bokning",
        "/boka", "/boka/dag?servicepunkt=" + hemse + "&tjanst=" + info + "&kanal=desk",
        "/service-points/" + DemoData.LOBBY_ID + "/ticket",
        "/t/" + ticket.getString("id") + "?token=" + ticket.getString("token") + "&ny=1",
        "/screen/" + DemoData.LOBBY_ID);
    var over = new ArrayList<String>();
    for (String path : paths) {
      var weighed = weigh(path);
      if (weighed.bytes() > BUDGET) {
        over.add(path + ": " + weighed.bytes() + " bytes " + weighed.loads());
      }
      assertTrue(weighed.bytes() > 1000, path + " loaded: " + weighed.loads());
    }
    assertTrue(over.isEmpty(), "over 100 KB: " + over);
  }

  /**
   * Text zoomed to 200 % (the browser's text-only zoom, as a root font size: WCAG 1.4.4) on a
   * 1280 px screen: nothing scrolls sideways, and every link and button can still be seen.
   */
  @Test
  void textAt200PercentKeepsEveryPageUsable() {
    String hemse = server.sql("SELECT id FROM service_point WHERE name = 'Hemse servicepunkt'").iterator().next()
        .getUUID(0).toString();
    var paths = List.of("/", "/tillganglighet", "/integritet", "/hitta-bokning", "/boka",
        "/boka/dag?servicepunkt=" + hemse + "&kanal=desk", "/service-points/" + DemoData.LOBBY_ID + "/ticket",
        "/staff/sign-in", "/screen/" + DemoData.LOBBY_ID);
    var wrong = new ArrayList<String>();
    for (String path : paths) {
      page.setViewportSize(1280, 800);
      page.navigate(baseUrl() + path);
      page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }");
      int width = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
      int hidden = ((Number) page.evaluate("""
          () => [...document.querySelectorAll('a, button, input, select, textarea')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .length""")).intValue();
      if (width > 1280 || hidden > 0) {
        wrong.add(path + ": " + width + " px wide, " + hidden + " controls beyond the right edge");
      }
      screenshots("zoom200-" + path.replaceAll("[^a-z]+", "-"));
    }
    assertTrue(wrong.isEmpty(), "at 200 % text: " + wrong);
  }
}
