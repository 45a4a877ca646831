package se.servicepunkt.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.web.Requests;
import se.servicepunkt.web.Responses;

/**
 * {@code GET /stats}: the kept figures for managers and administrators (see {@link StatsService}
 * for who sees what), as JSON or, with {@code Accept: text/csv} or {@code format=csv}, as CSV for
 * a spreadsheet ({@link StatsCsv}). List parameters are repeated or comma-separated.
 */
public final class StatsRoutes {
  static final int MAX_DAYS = 1096;
  private static final Set<String> LISTS = Set.of("groupBy", "servicePoint", "service", "channel", "organisation");

  private final StatsService stats;
  private final StaffAuth auth;
  private final se.servicepunkt.page.Messages messages;

  public StatsRoutes(StatsService stats, StaffAuth auth, se.servicepunkt.page.Messages messages) {
    this.stats = stats;
    this.auth = auth;
    this.messages = messages;
  }

  public void mount(Router api) {
    auth.protect(api.get("/stats")).handler(this::figures);
    auth.protect(api.get("/stats/dashboard")).handler(this::dashboard);
    auth.protect(api.get("/stats/report")).handler(this::report);
  }

  private static se.servicepunkt.page.Lang lang(RoutingContext ctx) {
    var lang = se.servicepunkt.page.Lang.parse(ctx.queryParams().get("lang"));
    return lang == null ? se.servicepunkt.page.Lang.DEFAULT : lang;
  }

  private static StatsService.Query grouped(StatsService.Query q, List<String> groupBy) {
    return new StatsService.Query(q.from(), q.to(), groupBy, q.scope(), q.servicePoints(), q.services(), q.channels(),
        q.organisations());
  }

  /** The dashboard's figures as HTML with SVG charts: key figures, visits by week and channel, two heat maps. */
  private void dashboard(RoutingContext ctx) {
    Caller caller = reader(ctx);
    StatsService.Query q = query(ctx);
    var views = new StatsViews(messages, lang(ctx));
    var totals = stats.figures(grouped(q, List.of()), caller);
    var weeks = totals.compose(t -> stats.figuresAsKept(grouped(q, List.of("week", "channel")), caller));
    var hours = weeks.compose(t -> stats.figuresAsKept(grouped(q, List.of("weekday", "hourOfDay")), caller));
    hours.map(h -> {
      JsonArray rows = totals.result().getJsonArray("rows");
      return views.dashboard(rows.isEmpty() ? new JsonObject() : rows.getJsonObject(0),
          weeks.result().getJsonArray("rows"), h.getJsonArray("rows"));
    }).onSuccess(html -> html(ctx, html)).onFailure(ctx::fail);
  }

  /** The yearly follow-up of one organisation: the year against the year before, by month and by service. */
  private void report(RoutingContext ctx) {
    Caller caller = reader(ctx);
    Input in = Requests.query(ctx);
    Integer year = in.integer("year", 2000, 2100, null);
    UUID named = in.optionalId("organisation");
    in.done();
    UUID organisation = named != null ? named : caller.organisationId();
    if (organisation == null) {
      throw se.servicepunkt.core.Problem.invalid("organisation", "is required for a system administrator");
    }
    var views = new StatsViews(messages, lang(ctx));
    LocalDate first = LocalDate.of(year, 1, 1);
    var thisYear = new StatsService.Query(first, first.plusYears(1).minusDays(1), List.of(), "organisation", null, null,
        null, List.of(organisation));
    var lastYear = new StatsService.Query(first.minusYears(1), first.minusDays(1), List.of(), "organisation", null, null,
        null, List.of(organisation));
    var now = stats.figures(thisYear, caller);
    var before = now.compose(x -> stats.figuresAsKept(lastYear, caller));
    var months = before.compose(x -> stats.figuresAsKept(grouped(thisYear, List.of("month")), caller));
    var monthsBefore = months.compose(x -> stats.figuresAsKept(grouped(lastYear, List.of("month")), caller));
    var services = monthsBefore.compose(x -> stats.figuresAsKept(grouped(thisYear, List.of("service")), caller));
    var name = services.compose(x -> stats.organisationName(organisation));
    name.map(n -> views.report(n, year, first(now.result()), first(before.result()),
            months.result().getJsonArray("rows"), monthsBefore.result().getJsonArray("rows"),
            services.result().getJsonArray("rows")))
        .onSuccess(html -> html(ctx, html)).onFailure(ctx::fail);
  }

  private static JsonObject first(JsonObject figures) {
    JsonArray rows = figures.getJsonArray("rows");
    return rows.isEmpty() ? new JsonObject() : rows.getJsonObject(0);
  }

  /** The caller, if they may read statistics at all (403 before any question is read, so a refusal says nothing of the question). */
  private static Caller reader(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (!StatsService.mayRead(caller)) {
      throw StatsService.notAReader();
    }
    return caller;
  }

  private static void html(RoutingContext ctx, String fragment) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(fragment);
  }

  /** Reads a stats question from query parameters; bad input is a 422 naming each field. */
  static StatsService.Query query(RoutingContext ctx) {
    var json = new JsonObject();
    for (String name : ctx.queryParams().names()) {
      List<String> values = ctx.queryParams().getAll(name);
      if (LISTS.contains(name)) {
        var array = new JsonArray();
        values.forEach(v -> java.util.Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
            .forEach(array::add));
        json.put(name, array);
      } else {
        json.put(name, values.get(0));
      }
    }
    Input in = Input.of(json);
    LocalDate from = in.date("from");
    LocalDate to = in.date("to");
    in.check(from == null || to == null || !to.isBefore(from) && !to.isAfter(from.plusDays(MAX_DAYS - 1L)), "to",
        "must be on or after from, at most " + MAX_DAYS + " days later");
    List<String> groupBy = in.has("groupBy") ? in.someOf("groupBy", Set.copyOf(StatsService.GROUPS)) : List.of();
    String scope = in.oneOf("scope", Set.of("organisation", "lobby"), "organisation");
    List<UUID> points = in.has("servicePoint") ? in.ids("servicePoint") : null;
    List<UUID> services = in.has("service") ? in.ids("service") : null;
    List<String> channels = in.has("channel") ? in.someOf("channel", Set.of("desk", "video")) : null;
    List<UUID> organisations = in.has("organisation") ? in.ids("organisation") : null;
    in.oneOf("format", Set.of("json", "csv"), "json");
    in.done();
    return new StatsService.Query(from, to, groupBy == null ? List.of() : groupBy, scope, points, services, channels,
        organisations);
  }

  private void figures(RoutingContext ctx) {
    Caller caller = reader(ctx);
    StatsService.Query q = query(ctx);
    String accept = ctx.request().getHeader("Accept");
    boolean csv = "csv".equals(ctx.queryParams().get("format")) || accept != null && accept.contains("text/csv");
    var figures = stats.figures(q, caller);
    if (csv) {
      figures.onSuccess(result -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"statistics-" + q.from() + "-" + q.to() + ".csv\"")
              .end(StatsCsv.of(result)))
          .onFailure(ctx::fail);
    } else {
      figures.onComplete(Responses.ok(ctx));
    }
  }
}
