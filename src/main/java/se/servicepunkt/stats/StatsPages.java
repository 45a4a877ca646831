package se.servicepunkt.stats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import se.servicepunkt.core.Rows;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The managers' pages: the dashboard {@code /staff/stats} and the yearly follow-up report
 * {@code /staff/stats/report}. Like the counter console they are frames the server renders for
 * anyone (the filters, with the public names of points and organisations); {@code static/stats.js}
 * fetches the figures, already drawn on the server as HTML with SVG charts, from the API with the
 * bearer token staff-session.js keeps, so nothing about anyone is on a page without a sign-in.
 */
public final class StatsPages {
  private static final String POINTS = "SELECT id, name FROM service_point ORDER BY name, id";
  private static final String ORGANISATIONS = "SELECT id, name FROM organisation ORDER BY name, id";

  private final Pages pages;
  private final Pool pool;

  StatsPages(Pages pages, Pool pool) {
    this.pages = pages;
    this.pool = pool;
  }

  public void mount(Router root) {
    root.get("/staff/stats").handler(this::dashboard);
    root.get("/staff/stats/report").handler(this::report);
  }

  private static LocalDate date(RoutingContext ctx, String name, LocalDate fallback) {
    try {
      String value = ctx.queryParams().get(name);
      return value == null || value.isBlank() ? fallback : LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  private Future<List<Map<String, Object>>> named(String sql, String selected) {
    return Rows.list(pool.query(sql).mapping(row -> Map.<String, Object>of("id", row.getUUID("id").toString(),
        "name", row.getString("name"), "selected", row.getUUID("id").toString().equals(selected))).execute());
  }

  private Page frame(RoutingContext ctx, String template, String title) {
    Page page = pages.page(ctx, template);
    @SuppressWarnings("unchecked")
    var words = new JsonObject((Map<String, Object>) ((Map<String, Object>) pages.messages().tree(page.lang())
        .get("stats")).get("js"));
    return page.title(title).bodyClass("stats-page").script("stats.js")
        .put("signInUrl", page.link("/staff/sign-in?return="
            + java.net.URLEncoder.encode(ctx.request().uri(), java.nio.charset.StandardCharsets.UTF_8)))
        .put("words", words.encode());
  }

  private void dashboard(RoutingContext ctx) {
    LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
    LocalDate to = date(ctx, "to", today);
    LocalDate from = date(ctx, "from", to.minusWeeks(12).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
    String point = ctx.queryParams().get("servicePoint");
    String channel = ctx.queryParams().get("channel");
    named(POINTS, point).onSuccess(points -> {
      Page page = frame(ctx, "stats.html", pages.messages().get(pages.lang(ctx), "stats.title"));
      page.put("from", from.toString()).put("to", to.toString()).put("points", points)
          .put("desk", "desk".equals(channel)).put("video", "video".equals(channel))
          .put("lobby", "lobby".equals(ctx.queryParams().get("scope")))
          .put("reportUrl", page.link("/staff/stats/report"))
          .send();
    }).onFailure(ctx::fail);
  }

  private void report(RoutingContext ctx) {
    int thisYear = LocalDate.now(java.time.ZoneOffset.UTC).getYear();
    int year;
    try {
      year = Integer.parseInt(ctx.queryParams().get("year") == null ? String.valueOf(thisYear)
          : ctx.queryParams().get("year"));
    } catch (NumberFormatException e) {
      year = thisYear;
    }
    int shown = year;
    named(ORGANISATIONS, ctx.queryParams().get("organisation")).onSuccess(organisations -> {
      Page page = frame(ctx, "stats-report.html", pages.messages().format(pages.lang(ctx), "stats.report.pageTitle", shown));
      page.put("year", shown).put("organisations", organisations)
          .put("dashboardUrl", page.link("/staff/stats"))
          .send();
    }).onFailure(ctx::fail);
  }
}
