package se.servicepunkt.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Rows;
import se.servicepunkt.core.Times;
import se.servicepunkt.web.Requests;
import se.servicepunkt.web.Responses;

/**
 * {@code GET /audit}: an organisation's audit log for its administrators (a system administrator
 * names the organisation, or {@code system} for system administrators' own actions), between two
 * local dates, as JSON or, with {@code Accept: text/csv}, as CSV that opens in Excel with Swedish
 * characters intact (UTF-8 with a byte-order mark, semicolons).
 */
public final class AuditRoutes {
  private static final int MAX_DAYS = 366;
  private static final int MAX_ROWS = 100_000;
  private static final String EVENTS = """
      SELECT a.at, a.organisation_id, a.staff_id, s.display_name, a.action, a.target, a.status
      FROM audit_event a LEFT JOIN staff s ON s.id = a.staff_id
      WHERE a.organisation_id IS NOT DISTINCT FROM $1 AND a.at >= $2 AND a.at < $3
      ORDER BY a.at, a.id LIMIT $4""";

  private final Pool pool;
  private final StaffAuth auth;
  private final ZoneId zone;

  public AuditRoutes(Pool pool, StaffAuth auth, ZoneId zone) {
    this.pool = pool;
    this.auth = auth;
    this.zone = zone;
  }

  public void mount(Router api) {
    auth.protect(api.get("/audit")).handler(this::events);
  }

  private record Event(String at, UUID organisationId, UUID staffId, String staffName, String action,
                       JsonObject target, int status) {
    JsonObject toJson() {
      return new JsonObject().put("at", at).put("organisationId", organisationId == null ? null : organisationId.toString())
          .put("staffId", staffId.toString()).put("staffName", staffName).put("action", action).put("target", target)
          .put("status", status);
    }
  }

  private void events(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Input in = Requests.query(ctx);
    LocalDate from = in.date("from");
    LocalDate to = in.date("to");
    String named = in.optionalText("organisationId", 40);
    in.check(from == null || to == null || !to.isBefore(from) && !to.isAfter(from.plusDays(MAX_DAYS - 1L)), "to",
        "must be on or after from, at most " + MAX_DAYS + " days later");
    UUID organisation = "system".equals(named) ? null : named == null ? null : Input.parseUuid(named);
    in.check(named == null || "system".equals(named) || organisation != null, "organisationId",
        "must be an organisation's id, or system");
    in.done();
    if (caller.isSysadmin()) {
      if (named == null) {
        throw Problem.invalid("organisationId", "is required for a system administrator (an id, or system)");
      }
    } else {
      caller.requireAdminOf(named == null ? caller.organisationId() : organisation);
      organisation = named == null ? caller.organisationId() : organisation;
    }
    UUID which = organisation;
    var events = Rows.list(pool.preparedQuery(EVENTS).mapping(row -> event(row)).execute(Tuple.of(which,
        Times.utc(from.atStartOfDay(zone).toInstant()), Times.utc(to.plusDays(1).atStartOfDay(zone).toInstant()),
        MAX_ROWS)));
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("text/csv")) {
      events.onSuccess(list -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"audit-" + from + "-" + to + ".csv\"")
              .end(csv(list)))
          .onFailure(ctx::fail);
    } else {
      events.onComplete(Responses.list(ctx, Event::toJson));
    }
  }

  private Event event(Row row) {
    return new Event(Times.iso(row.getOffsetDateTime("at"), zone), row.getUUID("organisation_id"), row.getUUID("staff_id"),
        row.getString("display_name"), row.getString("action"), (JsonObject) row.getJson("target"),
        row.getInteger("status"));
  }

  static String csv(List<Event> events) {
    var out = new StringBuilder("\uFEFFtid;personal;personal-id;åtgärd;mål;status\r\n");
    for (Event e : events) {
      out.append(cell(e.at())).append(';').append(cell(e.staffName())).append(';').append(e.staffId()).append(';')
          .append(cell(e.action())).append(';').append(cell(e.target().encode())).append(';').append(e.status())
          .append("\r\n");
    }
    return out.toString();
  }

  /** A CSV cell: quoted, quotes doubled; a leading = + - @ neutralised so a spreadsheet never runs it. */
  private static String cell(String value) {
    if (value == null) {
      return "";
    }
    String safe = value.matches("^[=+\\-@].*") ? "'" + value : value;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }
}
