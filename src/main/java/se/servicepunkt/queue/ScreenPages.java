package se.servicepunkt.queue;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.page.Forms;
import se.servicepunkt.page.Lang;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The reception screen {@code /screen/POINT}: a set-up form where the display token is pasted once
 * (kept in the device's localStorage by {@code static/screen.js}, never put in the page's address),
 * then the latest calls, the waiting per service and the clock, live from the display stream, in
 * Swedish with English beneath. The server renders the frame (the point's name, its zone, the
 * heartbeat interval the watchdog needs, the words of both languages); the script fills it. The
 * page shows nothing about a person: the stream it reads carries only numbers and counters.
 */
public final class ScreenPages {
  private final Pool pool;
  private final DirectoryQueries directory;
  private final Pages pages;
  private final int heartbeatSeconds;

  ScreenPages(Pool pool, DirectoryQueries directory, Pages pages, int heartbeatSeconds) {
    this.pool = pool;
    this.directory = directory;
    this.pages = pages;
    this.heartbeatSeconds = heartbeatSeconds;
  }

  public void mount(Router root) {
    root.get("/screen/:id").handler(this::screen);
    // the set-up form is handled by the script; without it, posting comes back to the page (which says why)
    root.post("/screen/:id").handler(ctx -> {
      UUID id = pointId(ctx);
      if (id == null) {
        pages.notFound(ctx);
      } else {
        Forms.seeOther(ctx, "/screen/" + id);
      }
    });
  }

  private void screen(RoutingContext ctx) {
    UUID id = pointId(ctx);
    if (id == null) {
      pages.notFound(ctx);
      return;
    }
    directory.point(pool, id).onSuccess(point -> {
      Page page = pages.page(ctx, "screen.html");
      page.title(page.t("screen.title") + " – " + point.name())
          .bodyClass("screen-page")
          .script("screen.js")
          .put("pointId", point.id().toString())
          .put("pointName", point.name())
          .put("intro", page.format("screen.setup.intro", point.name()))
          .put("timeZone", point.timeZone().getId())
          .put("heartbeatSeconds", heartbeatSeconds)
          .put("sv", pages.messages().tree(Lang.SV))
          .put("en", pages.messages().tree(Lang.EN))
          .send();
    }).onFailure(e -> pages.notFound(ctx));
  }

  private static UUID pointId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
