package se.servicepunkt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.FormPage;
import se.servicepunkt.testing.TestServer;

/**
 * The page toolkit over HTTP: security headers on every answer, HTML errors for pages and
 * problem+json for the API, the language from {@code ?lang=} and the cookie, static files and
 * their caching, and the form pattern (cross-site posts refused, errors listed, values kept, 303).
 */
class PageToolkitTest {
  static TestServer server;
  static FormPage form;
  /** A client outside the API contract, for paths that are not in openapi.yaml (unknown pages, the test form). */
  static WebClient raw;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of());
    form = FormPage.start(server.vertx(), server.app().pages());
    raw = WebClient.create(server.vertx(), new WebClientOptions().setDefaultHost("localhost").setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    form.close();
    server.close();
  }

  static HttpResponse<Buffer> get(int port, String path, String... headers) {
    var request = raw.request(HttpMethod.GET, port, "localhost", path);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.send().await();
  }

  static HttpResponse<Buffer> post(String path, MultiMap fields, String... headers) {
    var request = raw.request(HttpMethod.POST, form.port(), "localhost", path);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.sendForm(fields).await();
  }

  static void assertSecurityHeaders(HttpResponse<Buffer> response) {
    String csp = response.getHeader("Content-Security-Policy");
    assertTrue(csp != null && csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
        && csp.contains("style-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), csp);
    assertEquals("no-referrer", response.getHeader("Referrer-Policy"));
    assertEquals("nosniff", response.getHeader("X-Content-Type-Options"));
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    assertSecurityHeaders(server.get("/"));
    assertSecurityHeaders(server.get("/tillganglighet"));
    assertSecurityHeaders(server.get("/api/v1/organisations"));
    assertSecurityHeaders(get(server.port(), "/no-such-page"));
    assertSecurityHeaders(get(server.port(), cssUrl(server.get("/").bodyAsString())));
  }

  @Test
  void anUnknownPageIsTheHtml404PageWhileTheApiKeepsProblemJson() {
    var page = get(server.port(), "/no-such-page");
    assertEquals(404, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(page.bodyAsString().contains("<html lang=\"sv\">") && page.bodyAsString().contains("Sidan finns inte"));
    var english = get(server.port(), "/no-such-page?lang=en");
    assertTrue(english.bodyAsString().contains("<html lang=\"en\">") && english.bodyAsString().contains("Page not found"));

    var api = get(server.port(), "/api/v1/no-such-thing");
    assertEquals(404, api.statusCode());
    assertEquals("application/problem+json", api.getHeader("Content-Type"));
  }

  @Test
  void aFailingPageIsTheHtml500Page() {
    var page = get(form.port(), "/boom");
    assertEquals(500, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(page.bodyAsString().contains("Något gick fel hos oss"), page.bodyAsString());
    assertFalse(page.bodyAsString().contains("a bug"), "no internals on the page");
  }

  @Test
  void theLanguageComesFromTheQueryIsRememberedAndTheSwitchKeepsThePage() {
    var swedish = server.get("/tillganglighet");
    assertTrue(swedish.bodyAsString().contains("<html lang=\"sv\">"));
    assertEquals("sv", swedish.getHeader("Content-Language"));
    assertNull(swedish.getHeader("Set-Cookie"), "nothing to remember without a choice");
    assertTrue(swedish.bodyAsString().contains("href=\"/tillganglighet?lang&#61;en\" lang=\"en\""), "the switch");

    var english = get(server.port(), "/tillganglighet?x=1&lang=en");
    String html = english.bodyAsString();
    assertTrue(html.contains("<html lang=\"en\">") && html.contains("Accessibility statement"), html);
    assertTrue(english.getHeader("Set-Cookie").startsWith(Pages.COOKIE + "=en;"), english.getHeader("Set-Cookie"));
    assertTrue(english.getHeader("Set-Cookie").contains("SameSite=Lax"));
    assertTrue(html.contains("href=\"/tillganglighet?x&#61;1&amp;lang&#61;sv\" lang=\"sv\""), "the switch keeps the query");
    assertTrue(html.contains("href=\"/integritet?lang&#61;en\""), "links keep English without cookies too");

    var remembered = get(server.port(), "/integritet", "Cookie", Pages.COOKIE + "=en");
    assertTrue(remembered.bodyAsString().contains("<html lang=\"en\">"));
    assertEquals("Cookie", remembered.getHeader("Vary"));
    var back = get(server.port(), "/integritet?lang=sv", "Cookie", Pages.COOKIE + "=en");
    assertTrue(back.bodyAsString().contains("<html lang=\"sv\">"));
    assertTrue(back.getHeader("Set-Cookie").startsWith(Pages.COOKIE + "=sv;"));
  }

  @Test
  void staticFilesLinkedByTheirHashAreKeptForAYearOthersAreRevalidated() {
    String css = cssUrl(server.get("/").bodyAsString());
    var linked = server.get(css);
    assertEquals(200, linked.statusCode());
    assertEquals("text/css; charset=utf-8", linked.getHeader("Content-Type"));
    assertEquals("public, max-age=31536000, immutable", linked.getHeader("Cache-Control"));
    String etag = linked.getHeader("ETag");

    var plain = server.get("/static/site.css");
    assertEquals("no-cache", plain.getHeader("Cache-Control"));
    assertEquals(etag, plain.getHeader("ETag"));
    var again = server.client().get("/static/site.css").putHeader("If-None-Match", etag).send().await();
    assertEquals(304, again.statusCode());
    assertEquals(0, again.body() == null ? 0 : again.body().length());
    assertEquals(404, get(server.port(), "/static/nothing.css").statusCode());
    assertTrue(server.get("/static/error-summary.js").getHeader("Content-Type").startsWith("text/javascript"));
  }

  @Test
  void aPostFromAnotherSiteIsRefused() {
    var fields = MultiMap.caseInsensitiveMultiMap().add("reference", "K7XM-2QPD").add("email", "a@b.se");
    var crossSite = post("/form", fields, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");
    assertEquals(403, crossSite.statusCode());
    assertTrue(crossSite.bodyAsString().contains("Formuläret kunde inte skickas"));
    assertEquals(403, post("/form", fields, "Sec-Fetch-Site", "same-site").statusCode(), "a sibling site is another site");
    assertEquals(403, post("/form", fields, "Origin", "https://evil.example").statusCode(), "an older browser");
    assertEquals(403, post("/form", fields, "Origin", "null").statusCode());

    assertEquals(303, post("/form", fields, "Sec-Fetch-Site", "same-origin").statusCode());
    assertEquals(303, post("/form", fields, "Origin", "http://localhost:" + form.port()).statusCode());
    assertEquals(303, post("/form", fields).statusCode(), "not from a browser at all");
  }

  @Test
  void aFormWithErrorsListsThemKeepsWhatWasTypedAndOneThatWorksRedirects() {
    var fields = MultiMap.caseInsensitiveMultiMap().add("reference", "K7XM").add("email", "");
    var wrong = post("/form", fields, "Sec-Fetch-Site", "same-origin");
    assertEquals(422, wrong.statusCode());
    String html = wrong.bodyAsString();
    assertTrue(html.contains("<title>Fel: Hitta din bokning (test) – Servicepunkt</title>"), html);
    assertTrue(html.contains("data-error-summary") && html.contains("Det finns ett problem"), html);
    assertTrue(html.indexOf("href=\"#reference\"") < html.indexOf("href=\"#email\""), "in the order of the fields");
    assertTrue(html.contains("id=\"reference\" name=\"reference\" type=\"text\" value=\"K7XM\""), "what was typed is kept");
    assertTrue(html.contains("aria-describedby=\"reference-hint reference-error\"") && html.contains("aria-invalid=\"true\""), html);
    assertTrue(html.contains("id=\"email-error\""), html);
    assertTrue(html.contains("/static/error-summary.js?v"), "the script that focuses the summary");

    var right = post("/form", MultiMap.caseInsensitiveMultiMap().add("reference", "K7XM-2QPD").add("email", "a@b.se")
        .add("lang", "en"), "Sec-Fetch-Site", "same-origin");
    assertEquals(303, right.statusCode());
    assertEquals("/form/done?lang=en", right.getHeader("Location"), "the language goes on");
  }

  static String cssUrl(String html) {
    Matcher m = Pattern.compile("href=\"(/static/site\\.css\\?v&#61;[0-9a-f]+)\"").matcher(html);
    assertTrue(m.find(), html);
    return m.group(1).replace("&#61;", "=");
  }
}
