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
 *
 * <p>After signing in the page opens the counter console, or the staff page it was sent from:
 * {@code ?return=/staff/stats?from=…} (the statistics pages send their own address). Only a path
 * of this site's staff pages is followed ({@link #returnPath}); anything else, such as another
 * site's address, opens the console, so the parameter cannot send anyone elsewhere.
 */
public final class SignInPages {
  private static final int MAX_RETURN = 1000;
  private static final java.util.regex.Pattern RETURN = java.util.regex.Pattern.compile(
      "/staff(?:/[A-Za-z0-9._~-]+)*/?(?:\\?[A-Za-z0-9._~%&=+,:-]*)?");

  private final Pages pages;

  public SignInPages(Pages pages) {
    this.pages = pages;
  }

  public void mount(Router root) {
    root.get("/staff/sign-in").handler(this::signIn);
    // without JavaScript nothing is read or kept: back to the page, whose notice says why
    root.post("/staff/sign-in").handler(ctx -> Forms.seeOther(ctx, pages.link(ctx, "/staff/sign-in")));
  }

  /**
   * The staff page to open after signing in, when {@code wanted} names one: a path on this site
   * that starts with {@code /staff} (segments of plain characters: no {@code //}, {@code .} or
   * {@code ..} segment, percent sign, backslash, scheme or fragment), with at most a plain query,
   * and not the sign-in page itself.
   */
  static java.util.Optional<String> returnPath(String wanted) {
    if (wanted == null || wanted.length() > MAX_RETURN || !RETURN.matcher(wanted).matches()) {
      return java.util.Optional.empty();
    }
    String path = wanted.contains("?") ? wanted.substring(0, wanted.indexOf('?')) : wanted;
    if (path.contains("/../") || path.endsWith("/..") || path.contains("/./") || path.endsWith("/.")
        || path.startsWith("/staff/sign-in")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(wanted);
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
        .put("consoleUrl", returnPath(ctx.queryParams().get("return")).orElseGet(() -> page.link("/staff")))
        .put("words", words.encode())
        .send();
  }
}
