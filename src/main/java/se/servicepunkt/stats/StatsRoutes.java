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

  public StatsRoutes(StatsService stats, StaffAuth auth) {
    this.stats = stats;
    this.auth = auth;
  }

  public void mount(Router api) {
    auth.protect(api.get("/stats")).handler(this::figures);
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
    Caller caller = Caller.of(ctx);
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
