package se.servicepunkt.stats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Rows;

/**
 * Reads the kept figures: grouped by any of the keys, filtered, within what the caller may see.
 * Scopes: an organisation's managers and administrators see their own services' figures at every
 * point ({@code organisation}); a point's host sees the lobby's totals of every organisation there
 * ({@code lobby}), broken down by service and organisation only for itself and for the
 * organisations serving there that share their breakdown with it (the others' figures stay one
 * part without service or organisation, so the rows still add up to the lobby's totals); a system
 * administrator sees everything ({@code all}).
 */
public final class StatsService {
  /** The keys figures can be grouped by, in the order rows are sorted and columns given. */
  public static final List<String> GROUPS = List.of("day", "week", "month", "hourOfDay", "weekday", "servicePoint",
      "service", "channel", "organisation");
  private static final UUID NIL = new UUID(0, 0);

  private static final String FIGURES = """
      WITH cells AS (
        SELECT CASE WHEN 'day' = ANY ($1) THEN c.day END AS day,
               CASE WHEN 'week' = ANY ($1) THEN date_trunc('week', c.day)::date END AS week,
               CASE WHEN 'month' = ANY ($1) THEN date_trunc('month', c.day)::date END AS month,
               CASE WHEN 'hourOfDay' = ANY ($1) THEN c.hour END AS hour_of_day,
               CASE WHEN 'weekday' = ANY ($1) THEN extract(isodow FROM c.day)::int END AS weekday,
               CASE WHEN 'servicePoint' = ANY ($1) THEN c.service_point_id END AS service_point_id,
               CASE WHEN 'service' = ANY ($1) AND ($12::uuid IS NULL OR c.organisation_id = $12 OR m.shares_statistics)
                    THEN c.service_id END AS service_id,
               CASE WHEN 'channel' = ANY ($1) THEN c.channel END AS channel,
               CASE WHEN 'organisation' = ANY ($1) AND ($12::uuid IS NULL OR c.organisation_id = $12 OR m.shares_statistics)
                    THEN c.organisation_id END AS organisation_id,
               CASE WHEN c.metric IN ('booked', 'checked_in') AND c.day < $9 THEN 'past_' || c.metric
                    ELSE c.metric END AS metric,
               CASE WHEN c.metric IN ('wait', 'service', 'lead') THEN c.bucket ELSE -1 END AS bucket,
               c.n, c.total,
               CASE WHEN c.metric = 'wait' AND c.bucket <= s.wait_target_minutes THEN c.n ELSE 0 END AS within
        FROM stats_cell c LEFT JOIN service s ON s.id = c.service_id
             LEFT JOIN service_point_member m ON $12::uuid IS NOT NULL AND m.service_point_id = c.service_point_id
                                             AND m.organisation_id = c.organisation_id
        WHERE c.day BETWEEN $2 AND $3
          AND ((c.hour >= 0 AND $11) OR (c.hour = -2 AND NOT $11 AND c.day < $10)
               OR (c.hour = -1 AND NOT $11 AND c.day >= $10))
          AND ($4::uuid IS NULL OR c.organisation_id = $4)
          AND ($5::uuid[] IS NULL OR c.service_point_id = ANY ($5))
          AND ($6::uuid[] IS NULL OR c.service_id = ANY ($6))
          AND ($7::text[] IS NULL OR c.channel = ANY ($7))
          AND ($8::uuid[] IS NULL OR c.organisation_id = ANY ($8))
      )
      SELECT day, week, month, hour_of_day, weekday, service_point_id, service_id, channel, organisation_id, metric,
             bucket, sum(n) AS n, sum(total) AS total, sum(within) AS within
      FROM cells
      GROUP BY day, week, month, hour_of_day, weekday, service_point_id, service_id, channel, organisation_id, metric,
               bucket
      ORDER BY day, week, month, hour_of_day, weekday, service_point_id, service_id, channel, organisation_id""";
  private static final String NAMES = """
      SELECT 'p' AS kind, id, name AS name_sv, name AS name_en FROM service_point WHERE id = ANY ($1)
      UNION ALL SELECT 's', id, name_sv, name_en FROM service WHERE id = ANY ($2)
      UNION ALL SELECT 'o', id, name, name FROM organisation WHERE id = ANY ($3)""";
  private static final String ORGANISATION = "SELECT name FROM organisation WHERE id = $1";
  private static final String HOSTED = """
      SELECT id FROM service_point WHERE id = ANY ($1) AND organisation_id = $2""";

  /** A checked question: dates are the points' local dates, both inclusive; null lists: no filter. */
  public record Query(LocalDate from, LocalDate to, List<String> groupBy, String scope, List<UUID> servicePoints,
                      List<UUID> services, List<String> channels, List<UUID> organisations) {
  }

  private final Pool pool;
  private final StatsFold fold;
  private final Clock clock;
  private final ZoneId zone;

  public StatsService(Pool pool, StatsFold fold, Clock clock, ZoneId zone) {
    this.pool = pool;
    this.fold = fold;
    this.clock = clock;
    this.zone = zone;
  }

  /** The figures, after folding what was not yet kept (so an answer is never behind the facts). */
  public Future<JsonObject> figures(Query q, Caller caller) {
    return scope(q, caller).compose(scoped -> fold.run().recover(e -> Future.succeededFuture(0L))
        .compose(folded -> read(q, scoped)));
  }

  /** The figures as kept, without folding first (for the second and later reads of one page). */
  public Future<JsonObject> figuresAsKept(Query q, Caller caller) {
    return scope(q, caller).compose(scoped -> read(q, scoped));
  }

  /**
   * Where the month rows end and the day rows begin: a question that needs no finer key than a
   * month and starts on the first of a month reads whole months from the month rows (those that
   * end by {@code to} and before this month, so every appointment in them is past) and the rest
   * from the day rows; any other reads days (or hours) only.
   */
  static LocalDate split(Query q, LocalDate today) {
    boolean monthly = !q.groupBy().contains("hourOfDay") && !q.groupBy().contains("day")
        && !q.groupBy().contains("week") && !q.groupBy().contains("weekday") && q.from().getDayOfMonth() == 1;
    if (!monthly) {
      return q.from();
    }
    LocalDate limit = q.to().plusDays(1).isBefore(today.withDayOfMonth(1)) ? q.to().plusDays(1) : today.withDayOfMonth(1);
    LocalDate month = q.from();
    while (!month.plusMonths(1).isAfter(limit)) {
      month = month.plusMonths(1);
    }
    return month;
  }

  /** The organisation's name; 404 when there is none. */
  public Future<String> organisationName(UUID organisation) {
    return Rows.one(pool.preparedQuery(ORGANISATION).mapping(row -> row.getString(0)).execute(Tuple.of(organisation)),
        "The organisation");
  }

  /**
   * What the caller may read: the organisation all rows must be of (null: any), the points, and for
   * a lobby its host (whose figures, and those of the organisations sharing theirs with it, may be
   * broken down by service and organisation; null: no such limit).
   */
  private record Scoped(String name, UUID organisation, List<UUID> points, UUID host) {
  }

  /** Whether the caller may read statistics at all: a manager or an administrator of an organisation, or the system administrator. */
  static boolean mayRead(Caller caller) {
    return caller.isSysadmin() || caller.organisationId() != null
        && (caller.roles().contains(Caller.MANAGER) || caller.roles().contains(Caller.ADMIN));
  }

  static Problem notAReader() {
    return Problem.forbidden("Only a manager or an administrator may read the statistics.");
  }

  private Future<Scoped> scope(Query q, Caller caller) {
    if (caller.isSysadmin()) {
      return Future.succeededFuture(new Scoped("all", null, q.servicePoints(), null));
    }
    if (!mayRead(caller)) {
      return Future.failedFuture(notAReader());
    }
    UUID own = caller.organisationId();
    if (!"lobby".equals(q.scope())) {
      if (q.organisations() != null && q.organisations().stream().anyMatch(o -> !o.equals(own))) {
        return Future.failedFuture(Problem.forbidden("Only your own organisation's figures can be read."));
      }
      return Future.succeededFuture(new Scoped("organisation", own, q.servicePoints(), null));
    }
    if (q.servicePoints() == null || q.servicePoints().isEmpty()) {
      return Future.failedFuture(Problem.invalid("servicePoint", "is required for the lobby scope"));
    }
    if (q.services() != null || q.organisations() != null) {
      return Future.failedFuture(Problem.forbidden(
          "A lobby's totals are not filtered by service or organisation; group them by service or organisation, "
              + "or use the organisation scope for your own."));
    }
    return Rows.list(pool.preparedQuery(HOSTED).mapping(row -> row.getUUID(0))
            .execute(Tuple.tuple().addArrayOfUUID(q.servicePoints().toArray(UUID[]::new)).addUUID(own)))
        .compose(hosted -> new HashSet<>(hosted).containsAll(q.servicePoints())
            ? Future.succeededFuture(new Scoped("lobby", null, q.servicePoints(), own))
            : Future.failedFuture(Problem.forbidden("Only the host of a service point reads its lobby's totals.")));
  }

  private Future<JsonObject> read(Query q, Scoped scoped) {
    Tuple args = Tuple.tuple()
        .addArrayOfString(q.groupBy().toArray(String[]::new))
        .addLocalDate(q.from())
        .addLocalDate(q.to())
        .addUUID(scoped.organisation())
        .addArrayOfUUID(scoped.points() == null ? null : scoped.points().toArray(UUID[]::new))
        .addArrayOfUUID(q.services() == null ? null : q.services().toArray(UUID[]::new))
        .addArrayOfString(q.channels() == null ? null : q.channels().toArray(String[]::new))
        .addArrayOfUUID(q.organisations() == null ? null : q.organisations().toArray(UUID[]::new))
        .addLocalDate(LocalDate.ofInstant(clock.instant(), zone))
        .addLocalDate(split(q, LocalDate.ofInstant(clock.instant(), zone)))
        .addBoolean(q.groupBy().contains("hourOfDay"))
        .addUUID(scoped.host());
    return pool.preparedQuery(FIGURES).execute(args).compose(rows -> {
      var groups = new LinkedHashMap<List<Object>, Figures>();
      var keys = new LinkedHashMap<List<Object>, JsonObject>();
      Set<UUID> points = new HashSet<>();
      Set<UUID> services = new HashSet<>();
      Set<UUID> organisations = new HashSet<>();
      for (Row row : rows) {
        JsonObject key = key(row, q.groupBy());
        List<Object> id = new ArrayList<>(key.getMap().values());
        keys.putIfAbsent(id, key);
        groups.computeIfAbsent(id, k -> new Figures()).add(row.getString("metric"), row.getInteger("bucket"),
            row.getLong("n"), row.getLong("total"), row.getLong("within"));
        add(points, row.getUUID("service_point_id"));
        add(services, row.getUUID("service_id"));
        add(organisations, row.getUUID("organisation_id"));
      }
      if (q.groupBy().isEmpty() && keys.isEmpty()) {
        keys.put(List.of(), new JsonObject()); // totals of nothing are zeros, not no answer
        groups.put(List.of(), new Figures());
      }
      return names(points, services, organisations).map(names -> {
        var out = new JsonArray();
        keys.forEach((id, key) -> {
          JsonObject row = key.copy();
          name(row, "servicePointId", "servicePointName", names, false);
          name(row, "serviceId", "serviceNameSv", names, false);
          name(row, "serviceId", "serviceNameEn", names, true);
          name(row, "organisationId", "organisationName", names, false);
          groups.get(id).into(row);
          out.add(row);
        });
        return new JsonObject().put("from", q.from().toString()).put("to", q.to().toString())
            .put("groupBy", new JsonArray(q.groupBy())).put("scope", scoped.name()).put("rows", out);
      });
    });
  }

  private static void add(Set<UUID> ids, UUID id) {
    if (id != null && !NIL.equals(id)) {
      ids.add(id);
    }
  }

  /** The row's group keys, as the API names them (only the keys grouped by). */
  private static JsonObject key(Row row, List<String> groupBy) {
    var key = new JsonObject();
    for (String group : GROUPS) {
      if (!groupBy.contains(group)) {
        continue;
      }
      switch (group) {
        case "day" -> key.put("day", row.getLocalDate("day").toString());
        case "week" -> {
          LocalDate monday = row.getLocalDate("week");
          key.put("week", String.format("%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
              monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        }
        case "month" -> key.put("month", row.getLocalDate("month").toString().substring(0, 7));
        case "hourOfDay" -> key.put("hourOfDay", row.getInteger("hour_of_day"));
        case "weekday" -> key.put("weekday", row.getInteger("weekday"));
        case "servicePoint" -> key.put("servicePointId", row.getUUID("service_point_id").toString());
        case "service" -> {
          UUID service = row.getUUID("service_id"); // null: in a lobby, of organisations that do not share
          key.put("serviceId", service == null || NIL.equals(service) ? null : service.toString());
        }
        case "channel" -> key.put("channel", row.getString("channel"));
        case "organisation" -> {
          UUID organisation = row.getUUID("organisation_id");
          key.put("organisationId", organisation == null ? null : organisation.toString());
        }
        default -> throw new IllegalStateException(group);
      }
    }
    return key;
  }

  private Future<Map<UUID, String[]>> names(Set<UUID> points, Set<UUID> services, Set<UUID> organisations) {
    if (points.isEmpty() && services.isEmpty() && organisations.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(NAMES).execute(Tuple.tuple().addArrayOfUUID(points.toArray(UUID[]::new))
            .addArrayOfUUID(services.toArray(UUID[]::new)).addArrayOfUUID(organisations.toArray(UUID[]::new)))
        .map(rows -> {
          var names = new HashMap<UUID, String[]>();
          rows.forEach(row -> names.put(row.getUUID("id"), new String[] {row.getString("name_sv"), row.getString("name_en")}));
          return names;
        });
  }

  private static void name(JsonObject row, String idField, String nameField, Map<UUID, String[]> names, boolean english) {
    if (!row.containsKey(idField)) {
      return;
    }
    String id = row.getString(idField);
    String[] name = id == null ? null : names.get(UUID.fromString(id));
    row.put(nameField, name == null ? null : name[english ? 1 : 0]);
  }
}
