package se.servicepunkt.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * The managers' dashboard and yearly report in a real browser, signed in through the staff
 * sign-in page: the charts and their tables arrive, axe finds nothing in Swedish or English,
 * nothing scrolls sideways at 320 px, the filters work from the keyboard, the CSV downloads with
 * the token, and a member of staff without the manager role is told plainly. Sent to the sign-in
 * from the statistics, a manager comes back to the same figures (and a forged return address
 * leads nowhere but the console); the console links managers, and only them, to the statistics.
 */
class StatsBrowserTest extends BrowserTest {
  static TestServer server;
  static Fixtures fx;
  static String org;
  static String point;
  static String manager;
  static String staffOnly;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of());
    fx = new Fixtures(server);
    org = fx.organisation("Statistikkommunen");
    String admin = fx.token(org, "admin");
    point = fx.servicePoint(admin, "Medborgarkontoret Åby", "office");
    String service = fx.service(org, "Bygglov och tillstånd", "A", "desk", "video");
    manager = fx.account(org, "chef-" + UUID.randomUUID() + "@test.example", "staff", "manager");
    staffOnly = fx.account(org, "personal-" + UUID.randomUUID() + "@test.example", "staff");
    // Twelve weeks of served visits, waits and unmet demand, as the triggers and the counter write them.
    LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
    server.sql("""
        INSERT INTO stats_delta (service_point_id, service_id, channel, at, metric, bucket, n, total)
        SELECT $1, $2, CASE WHEN i % 4 = 0 THEN 'video' ELSE 'desk' END,
               (($3::date - (i % 84)) + make_interval(hours => 8 + i % 9, mins => i % 60)) AT TIME ZONE 'Europe/Stockholm',
               m.metric, CASE WHEN m.metric = 'wait' THEN (i % 25)::smallint ELSE -1::smallint END, 1,
               CASE WHEN m.metric = 'wait' THEN (i % 25) * 60 ELSE 0 END
        FROM generate_series(1, 900) AS i
        CROSS JOIN (VALUES ('served_walk_in'), ('wait')) AS m (metric)
        UNION ALL
        SELECT $1, $2, 'desk', (($3::date - (i % 84)) + make_interval(hours => 17 + i % 3)) AT TIME ZONE 'Europe/Stockholm',
               'search_empty', -1::smallint, 1, 0
        FROM generate_series(1, 120) AS i""", UUID.fromString(point), UUID.fromString(service), today);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  protected String baseUrl() {
    return "http://localhost:" + server.port();
  }

  void signIn(String email) {
    page.navigate(baseUrl() + "/staff/sign-in");
    page.fill("#email", email);
    page.fill("#password", TestServer.PASSWORD);
    page.click("[data-submit]");
    page.waitForURL("**/staff");
  }

  void waitForFigures() {
    page.waitForSelector("[data-figures] svg", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE)
        .setTimeout(15_000));
  }

  void copyShots(String name) throws Exception {
    var dir = Paths.get("/tmp/shots-stats");
    Files.createDirectories(dir);
    for (String suffix : new String[] {"-320.png", "-1280.png"}) {
      var from = Paths.get("target", "screenshots", name + suffix);
      if (Files.exists(from)) {
        Files.copy(from, dir.resolve(name + suffix), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void theDashboard_inSwedishAndEnglish_withTheKeyboard_andItsCsv() throws Exception {
    signIn(manager);
    assertSecurityHeaders(open("/staff/stats?servicePoint=" + point), "the dashboard");
    waitForFigures();
    assertTrue(page.textContent("[data-figures]").contains("Besök per vecka och kanal"));
    assertEquals(7, page.locator("[data-figures] table").nth(1).locator("tbody tr").count());
    checkPage("sv", "the dashboard");
    screenshots("stats-dashboard-sv");
    copyShots("stats-dashboard-sv");
    page.setViewportSize(1920, 1080);
    page.screenshot(new Page.ScreenshotOptions().setFullPage(false).setPath(Paths.get("/tmp/shots-stats/stats-dashboard-1920.png")));
    page.setViewportSize(390, 844);
    page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(Paths.get("/tmp/shots-stats/stats-dashboard-390.png")));
    page.setViewportSize(1280, 900);

    // The keyboard alone: choose the video channel and show.
    page.focus("#channel");
    page.keyboard().press("ArrowDown");
    page.keyboard().press("ArrowDown");
    assertEquals("video", page.inputValue("#channel"));
    for (int i = 0; i < 20 && !Boolean.TRUE.equals(page.evaluate("() => document.activeElement.matches('[data-filters] button[type=submit]')")); i++) {
      page.keyboard().press("Tab");
    }
    assertEquals(Boolean.TRUE, page.evaluate("() => document.activeElement.matches('[data-filters] button[type=submit]')"),
        () -> "focus is on " + page.evaluate("() => document.activeElement.outerHTML"));
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.contains("channel=video"));
    waitForFigures();
    assertEquals("video", page.inputValue("#channel"));

    Download download = page.waitForDownload(() -> page.click("[data-csv]"));
    String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
    assertTrue(csv.startsWith("\uFEFFweek;servicePointId;servicePointName;serviceId;serviceNameSv"), csv);
    assertTrue(csv.contains("\"Medborgarkontoret Åby\""), csv);
    assertTrue(csv.contains(";\"video\";"), csv);

    open("/staff/stats?lang=en&servicePoint=" + point);
    waitForFigures();
    assertTrue(page.textContent("[data-figures]").contains("Visits per week and channel"));
    checkPage("en", "the dashboard in English");
    screenshots("stats-dashboard-en");
    copyShots("stats-dashboard-en");
  }

  @Test
  void theYearlyReport_isPrintableAndAccessible() throws Exception {
    signIn(manager);
    int year = LocalDate.now(java.time.ZoneOffset.UTC).getYear();
    open("/staff/stats/report?year=" + year);
    waitForFigures();
    assertTrue(page.textContent("[data-figures]").contains("jämfört med " + (year - 1)));
    checkPage("sv", "the report");
    screenshots("stats-report-sv");
    copyShots("stats-report-sv");
    page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.PRINT));
    assertEquals(false, page.isVisible("[data-filters]"));
    page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(Paths.get("/tmp/shots-stats/stats-report-print.png")));
    page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.SCREEN));
    open("/staff/stats/report?lang=en&year=" + year);
    waitForFigures();
    checkPage("en", "the report in English");
  }

  @Test
  void staffWithoutTheManagerRole_areToldPlainly() {
    signIn(staffOnly);
    open("/staff/stats");
    page.waitForSelector("[data-error-box]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    assertTrue(page.textContent("[data-error]").contains("chefer och administratörer"));
    checkPage("sv", "the dashboard refused");
  }

  @Test
  void withoutASignIn_thePageGoesToTheSignIn_andAfterItBackToTheSameFigures() throws Exception {
    String shown = "/staff/stats?lang=en&servicePoint=" + point + "&channel=desk";
    open(shown);
    page.waitForURL(url -> url.contains("/staff/sign-in?return="));
    assertEquals(shown, page.getAttribute("[data-sign-in]", "data-console"));
    checkPage("en", "the sign-in on the way to the statistics");
    page.fill("#email", manager);
    page.fill("#password", TestServer.PASSWORD);
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.equals(baseUrl() + shown));
    waitForFigures();
    assertEquals("desk", page.inputValue("#channel"));
    assertLang("en", "the statistics after signing in");
    shots("stats-after-sign-in");
  }

  @Test
  void theSignInOpensNothingButThisSitesStaffPagesAfterwards() {
    for (String elsewhere : List.of("https://evil.example/staff", "//evil.example/staff", "/\\evil.example",
        "/staff//evil.example", "/staffing", "/staff/../api/v1/stats", "/staff/%2e%2e/api", "/staff/./stats",
        "javascript:alert(1)", "/staff/stats#x", " /staff/stats", "/staff/sign-in", "/staff/stats?x=<b>",
        "/staff/" + "a".repeat(1000))) {
      open("/staff/sign-in?return=" + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8));
      assertEquals("/staff", page.getAttribute("[data-sign-in]", "data-console"), elsewhere);
    }
    for (String staffPage : List.of("/staff", "/staff/stats", "/staff/stats/report?year=2026&organisation=" + org)) {
      open("/staff/sign-in?return=" + URLEncoder.encode(staffPage, StandardCharsets.UTF_8));
      assertEquals(staffPage, page.getAttribute("[data-sign-in]", "data-console"), staffPage);
    }
    // Signed in from a forged link: the console, on this site.
    open("/staff/sign-in?return=" + URLEncoder.encode("//evil.example/", StandardCharsets.UTF_8));
    page.fill("#email", staffOnly);
    page.fill("#password", TestServer.PASSWORD);
    page.click("[data-submit]");
    page.waitForURL(url -> url.equals(baseUrl() + "/staff"));
  }

  @Test
  void theConsoleLinksManagersToTheStatistics_andOnlyThem() throws Exception {
    signIn(staffOnly);
    page.waitForFunction("() => document.querySelector('[data-who]').textContent !== ''");
    assertFalse(page.isVisible("[data-stats-link]"), "no statistics link for staff");

    page.context().clearCookies();
    page.evaluate("() => sessionStorage.clear()");
    signIn(manager);
    page.waitForSelector("[data-stats-link]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    assertEquals("Statistik", page.textContent("[data-stats-link]").strip());
    checkPage("sv", "the console with the statistics link");
    shots("console-stats-link");
    // By keyboard from the console to the statistics.
    for (int i = 0; i < 30 && !Boolean.TRUE.equals(page.evaluate("() => document.activeElement.matches('[data-stats-link]')")); i++) {
      page.keyboard().press("Tab");
    }
    assertEquals(Boolean.TRUE, page.evaluate("() => document.activeElement.matches('[data-stats-link]')"));
    page.keyboard().press("Enter");
    page.waitForURL(url -> url.equals(baseUrl() + "/staff/stats"));
    waitForFigures();

    open("/staff?lang=en");
    page.waitForSelector("[data-stats-link]", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    assertEquals("Statistics", page.textContent("[data-stats-link]").strip());
    assertEquals("/staff/stats?lang=en", page.getAttribute("[data-stats-link]", "href"));
    checkPage("en", "the console with the statistics link in English");
  }

  /** Screenshots at 320, 390, 1280 px and of 1920×1080 and 1280×720 screens into /tmp/shots-share. */
  void shots(String name) throws Exception {
    var dir = Paths.get("/tmp/shots-share");
    Files.createDirectories(dir);
    var size = page.viewportSize();
    int[][] sizes = {{320, 640}, {390, 844}, {1280, 900}};
    for (int[] s : sizes) {
      page.setViewportSize(s[0], s[1]);
      page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(dir.resolve(name + "-" + s[0] + ".png")));
    }
    int[][] screens = {{1920, 1080}, {1280, 720}};
    for (int[] s : screens) {
      page.setViewportSize(s[0], s[1]);
      page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + "-" + s[0] + "x" + s[1] + ".png")));
    }
    page.setViewportSize(size.width, size.height);
  }
}
