package se.servicepunkt.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import se.servicepunkt.page.Forms;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * Staff sign-in in the browser, {@code /staff/sign-in}: a form that {@code static/staff-sign-in.js}
 * sends to {@code POST /api/v1/auth/login} as JSON. The access token is kept in the tab's
 * {@code sessionStorage} (so a reload keeps the session and closing the tab ends it), the device's
 * {@code deviceToken} in {@code localStorage} (sent with later sign-ins, so a guesser elsewhere
 * cannot hold this device up); neither ever travels in a page's address. No cookie carries the
 * session, so there is nothing for another site to forge. Without JavaScript the form posts here
 * and comes back to the page, which says the staff pages need JavaScript.
 */
public final class SignInPages {
  private final Pages pages;

  public SignInPages(Pages pages) {
    this.pages = pages;
  }

  public void mount(Router root) {
    root.get("/staff/sign-in").handler(this::signIn);
    // without JavaScript nothing is read or kept: back to the page, whose notice says why
    root.post("/staff/sign-in").handler(ctx -> Forms.seeOther(ctx, pages.link(ctx, "/staff/sign-in")));
  }

  private void signIn(RoutingContext ctx) {
    Page page = pages.page(ctx, "staff-sign-in.html");
    String notice = ctx.queryParams().contains("signedOut") ? page.t("staff.signIn.signedOut")
        : ctx.queryParams().contains("expired") ? page.t("staff.signIn.expired") : null;
    @SuppressWarnings("unchecked")
    var words = new JsonObject((Map<String, Object>) ((Map<String, Object>) pages.messages().tree(page.lang())
        .get("staff")).get("signIn"));
    page.title(page.t("staff.signIn.title"))
        .personal()
        .script("staff-sign-in.js")
        .put("notice", notice)
        .put("consoleUrl", page.link("/staff"))
        .put("words", words.encode())
        .send();
  }
}
