package se.servicepunkt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class that drives a real browser (Playwright for Java and the machine's Chromium, as
 * {@code ../shared/UI.md} describes): one browser per class, a fresh context (no cookies, no cache)
 * per test. Helpers check what axe cannot on its own: no sideways scrolling at 320 px, the
 * language, the security headers, a visible focus on every link the keyboard reaches; and take
 * screenshots into {@code target/screenshots} for people to look at.
 *
 * <p>Every request a page makes must go to the server under test (no other origin) and the
 * browser must report no Content-Security-Policy violation; {@link #checkPage} fails otherwise.
 */
public abstract class BrowserTest {
  /** What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
  public static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
  private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
  private static Playwright playwright;
  protected static Browser browser;

  protected BrowserContext context;
  protected Page page;
  /** Requests of this test's pages to anywhere but the server under test, and the browser's CSP complaints. */
  private final List<String> strayRequests = new ArrayList<>();
  private final List<String> cspViolations = new ArrayList<>();

  /** The address of the server under test, e.g. {@code http://localhost:8123}. */
  protected abstract String baseUrl();

  @BeforeAll
  static void launchBrowser() {
    Path chromium = Paths.get(System.getProperty("chromium.path", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      throw new IllegalStateException(chromium + " is missing: install it with 'apt-get install -y chromium' "
          + "(.ci/run does), or point -Dchromium.path at a Chromium");
    }
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(chromium).setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
            "--disable-component-update", "--disable-sync")));
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @BeforeEach
  void newContext() {
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setLocale("sv-SE"));
    page = context.newPage();
    page.onRequest(request -> {
      if (!request.url().startsWith(baseUrl() + "/")) {
        strayRequests.add(request.url());
      }
    });
    page.onConsoleMessage(message -> {
      if (message.text().contains("Content Security Policy")) {
        cspViolations.add(message.text());
      }
    });
  }

  @AfterEach
  void closeContext() {
    context.close();
    assertEquals(List.of(), strayRequests, "requests to another origin");
    assertEquals(List.of(), cspViolations, "Content-Security-Policy violations");
  }

  /** Opens a path of the server under test and returns the answer. */
  protected Response open(String path) {
    Response response = page.navigate(baseUrl() + path);
    assertNotNull(response, path);
    return response;
  }

  /** axe finds no violation of WCAG 2.0–2.2 A and AA on the page as it is now. */
  protected void assertAxeClean(String what) {
    AxeResults results = new AxeBuilder(page).withTags(WCAG_TAGS).analyze();
    assertTrue(results.violationFree(), () -> what + ": " + results.getViolations().stream()
        .map(rule -> rule.getId() + " (" + rule.getHelp() + "): " + rule.getNodes().stream()
            .map(node -> node.getTarget() + " " + node.getHtml()).collect(Collectors.joining("; ")))
        .collect(Collectors.joining("\n")));
  }

  /** At 320 CSS pixels wide (WCAG 1.4.10 reflow) nothing makes the page scroll sideways. */
  protected void assertNoSidewaysScrollAt320(String what) {
    var size = page.viewportSize();
    page.setViewportSize(320, 640);
    try {
      int width = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
      assertTrue(width <= 320, what + " is " + width + " px wide at 320 px");
    } finally {
      page.setViewportSize(size.width, size.height);
    }
  }

  /** {@code <html lang>} is the expected language. */
  protected void assertLang(String lang, String what) {
    assertEquals(lang, page.getAttribute("html", "lang"), what);
  }

  /** The answer carries a Content-Security-Policy without inline script or style, and the other security headers. */
  protected static void assertSecurityHeaders(Response response, String what) {
    String csp = response.headers().get("content-security-policy");
    assertNotNull(csp, what + ": Content-Security-Policy");
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval") || csp.contains("*"), what + ": " + csp);
    assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), what + ": " + csp);
    assertEquals("no-referrer", response.headers().get("referrer-policy"), what);
    assertEquals("nosniff", response.headers().get("x-content-type-options"), what);
  }

  /** The usual checks of one page in one state: lang, axe, reflow at 320 px. */
  protected void checkPage(String lang, String what) {
    assertLang(lang, what);
    assertAxeClean(what);
    assertNoSidewaysScrollAt320(what);
  }

  /** Full-page screenshots at 320 and 1280 px wide: {@code target/screenshots/NAME-320.png} and {@code -1280.png}. */
  protected void screenshots(String name) {
    var size = page.viewportSize();
    try {
      for (int width : new int[] {320, 1280}) {
        page.setViewportSize(width, width == 320 ? 640 : 900);
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(SCREENSHOTS.resolve(name + "-" + width + ".png")));
      }
    } finally {
      page.setViewportSize(size.width, size.height);
    }
  }

  /** One stop of the keyboard: what has the focus, and whether the focus can be seen. */
  public record Focus(String element, boolean visible) {
  }

  /**
   * Presses Tab from the top of the page until the focus leaves the page or comes back round, and
   * returns where it stopped each time: every element with a description ("a /tillganglighet
   * Tillgänglighet") and whether its focus style can be seen (an outline, a box shadow, or the
   * yellow focus background, inside the viewport).
   */
  protected List<Focus> tabThrough() {
    // start from the top of the page, wherever the page put the focus (e.g. on an error summary)
    page.evaluate("""
        () => {
          const start = document.createElement('span');
          start.id = 'tab-start';
          start.tabIndex = -1;
          document.body.prepend(start);
          start.focus();
          window.scrollTo(0, 0);
        }""");
    var stops = new ArrayList<Focus>();
    for (int i = 0; i < 200; i++) {
      page.keyboard().press("Tab");
      @SuppressWarnings("unchecked")
      Map<String, Object> focus = (Map<String, Object>) page.evaluate("""
          () => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const style = getComputedStyle(el);
            const rect = el.getBoundingClientRect();
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                && style.outlineColor !== 'rgba(0, 0, 0, 0)' && style.outlineColor !== 'transparent';
            const shadow = style.boxShadow && style.boxShadow !== 'none';
            const yellow = style.backgroundColor === 'rgb(255, 221, 0)';
            const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
                && rect.top < innerHeight && rect.left < innerWidth;
            const name = (el.getAttribute('href') || el.getAttribute('name') || el.id || '') + ' '
                + (el.textContent || el.value || '').replace(/\\s+/g, ' ').trim();
            return { element: el.tagName.toLowerCase() + ' ' + name, visible: (outline || shadow || yellow) && onScreen };
          }""");
      if (focus == null) {
        break;
      }
      var stop = new Focus((String) focus.get("element"), Boolean.TRUE.equals(focus.get("visible")));
      if (!stops.isEmpty() && stops.get(0).element().equals(stop.element())) {
        break; // round again
      }
      stops.add(stop);
    }
    page.evaluate("() => document.getElementById('tab-start')?.remove()");
    return stops;
  }

  /** Descriptions of every link, button and field on the page that a person can reach, in document order. */
  protected List<String> focusable() {
    @SuppressWarnings("unchecked")
    List<String> all = (List<String>) page.evaluate("""
        () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
          .filter(el => !el.disabled)
          .map(el => el.tagName.toLowerCase() + ' ' + ((el.getAttribute('href') || el.getAttribute('name') || el.id || '') + ' '
            + (el.textContent || el.value || '').replace(/\\s+/g, ' ').trim()))""");
    return all;
  }
}
