package se.servicepunkt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.BrowserTest;
import se.servicepunkt.testing.FormPage;
import se.servicepunkt.testing.TestServer;

/**
 * The toolkit's form pattern in a real browser (on {@link FormPage}, a form made only of the
 * toolkit): a post with errors comes back with the error summary focused, each error linked to its
 * field and shown beside it, what was typed kept, axe-clean in both languages; a link in the
 * summary puts the focus in its field; a post that works is redirected (POST-redirect-GET).
 */
class FormPatternBrowserTest extends BrowserTest {
  static TestServer server;
  static FormPage form;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of());
    form = FormPage.start(server.vertx(), server.app().pages());
  }

  @AfterAll
  static void stopServer() {
    form.close();
    server.close();
  }

  @Override
  protected String baseUrl() {
    return "http://localhost:" + form.port();
  }

  @Test
  void errorsAreSummarisedFocusedAndLinkedToTheirFieldsAndWhatWasTypedIsKept() {
    open("/form");
    checkPage("sv", "the empty form");
    page.fill("#reference", "K7XM");
    page.click("button[type=submit]");
    page.waitForSelector("[data-error-summary]");

    assertEquals("true", page.evaluate("() => String(document.activeElement.matches('[data-error-summary]'))"),
        "the summary has the focus");
    assertTrue(page.title().startsWith("Fel: "), page.title());
    assertEquals("K7XM", page.inputValue("#reference"), "what was typed is kept");
    assertEquals(2, page.locator(".error-summary-list a").count());
    assertTrue(page.textContent("#reference-error").contains("8 bokstäver och siffror"));
    assertTrue(page.textContent("#email-error").contains("Skriv en e-postadress"));
    checkPage("sv", "the form with errors");
    screenshots("form-errors-sv");

    page.click(".error-summary-list a[href='#email']");
    assertEquals("email", page.evaluate("() => document.activeElement.id"), "the link puts the focus in its field");

    page.fill("#reference", "K7XM-2QPD");
    page.fill("#email", "karin@example.se");
    page.click("button[type=submit]");
    page.waitForURL(url -> url.endsWith("/form/done"));
    assertEquals("Klart", page.textContent("h1"));
  }

  @Test
  void inEnglishToo() {
    open("/form?lang=en");
    page.click("button[type=submit]");
    page.waitForSelector("[data-error-summary]");
    assertTrue(page.title().startsWith("Error: "), page.title());
    assertEquals("There is a problem", page.textContent(".error-summary-title"));
    checkPage("en", "the English form with errors");
    screenshots("form-errors-en");
    var stops = tabThrough();
    stops.forEach(stop -> assertTrue(stop.visible(), "no visible focus on " + stop.element()));
    assertEquals(focusable(), stops.stream().map(Focus::element).toList());
  }
}
