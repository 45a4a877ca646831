package se.servicepunkt.queue;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The counter console {@code /staff} (issue 12, item 2): a frame the server renders once for
 * everyone (the words of the page's language, the heartbeat interval the watchdog needs) and
 * {@code static/console.js} fills from the JSON API with the bearer token the sign-in page kept:
 * the point and counter (remembered on the device), the counter's session, call next, the called
 * visitor and what can be done with them, and the live queue from the staff stream. The page
 * itself carries nothing about anyone, so it needs no sign-in to be served; everything it shows
 * comes from the API, which checks the token on every request.
 */
public final class ConsolePages {
  private final Pages pages;
  private final int heartbeatSeconds;

  ConsolePages(Pages pages, int heartbeatSeconds) {
    this.pages = pages;
    this.heartbeatSeconds = heartbeatSeconds;
  }

  public void mount(Router root) {
    root.get("/staff").handler(this::console);
  }

  private void console(RoutingContext ctx) {
    Page page = pages.page(ctx, "console.html");
    @SuppressWarnings("unchecked")
    var words = new JsonObject((Map<String, Object>) pages.messages().tree(page.lang()).get("console"));
    page.title(page.t("console.title"))
        .bodyClass("console-page")
        .script("console.js")
        .put("heartbeatSeconds", heartbeatSeconds)
        .put("signInUrl", page.link("/staff/sign-in"))
        .put("statsUrl", page.link("/staff/stats"))
        .put("words", words.encode())
        .send();
  }
}
