package se.servicepunkt.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole public directory at once, for the residents' start page and the privacy notice: every
 * service point with the services offered there and its opening calendar over a range of dates,
 * and every organisation. Four short statements on one connection; {@link DirectoryCache} keeps
 * the answer while the directory does not change.
 */
public record DirectoryOverview(List<Listing> points, Map<UUID, String> organisations) {

  /** A service point, its services (by Swedish name) and its opening calendar. */
  public record Listing(ServicePoint point, List<Service> services, OpeningCalendar calendar) {
  }

  private static final String ORGANISATIONS = "SELECT id, name FROM organisation ORDER BY name, id";
  private static final String OFFERINGS = """
      SELECT f.service_point_id, s.id, s.organisation_id, s.name_sv, s.name_en, s.ticket_letter, s.duration_minutes,
             s.channels, s.min_notice_minutes, s.horizon_days, s.cancel_cutoff_minutes, s.wait_target_minutes
      FROM service_offering f JOIN service s ON s.id = f.service_id
      ORDER BY s.name_sv, s.id""";
  /** Every point's weekly hours, and its exceptions and stops between two dates. */
  private static final String HOURS = """
      SELECT service_point_id, 'w' AS kind, NULL::uuid AS id, weekday, NULL::date AS day, opens, closes,
             NULL::boolean AS closed, NULL AS reason, NULL AS place, NULL AS street, NULL AS city
      FROM weekly_hours
      UNION ALL
      SELECT service_point_id, 'e', id, NULL, day, opens, closes, closed, reason, NULL, NULL, NULL
      FROM opening_exception WHERE day BETWEEN $1 AND $2
      UNION ALL
      SELECT service_point_id, 's', id, NULL, day, opens, closes, NULL, NULL, place, street, city
      FROM mobile_stop WHERE day BETWEEN $1 AND $2""";

  private record Hours(List<WeeklyHours> week, List<OpeningException> exceptions, List<MobileStop> stops) {
    Hours() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  /** Reads the overview with the calendars from {@code from} to {@code to}. */
  static Future<DirectoryOverview> read(Pool pool, LocalDate from, LocalDate to) {
    var points = new ServicePointRepository();
    return pool.withConnection(db -> points.list(db, null)
        .compose(list -> db.preparedQuery(OFFERINGS).execute()
            .compose(offerings -> db.preparedQuery(HOURS).execute(Tuple.of(from, to))
                .compose(hours -> db.query(ORGANISATIONS).execute()
                    .map(organisations -> assemble(list, offerings, hours, organisations))))));
  }

  private static DirectoryOverview assemble(List<ServicePoint> points, Iterable<Row> offerings, Iterable<Row> hourRows,
                                            Iterable<Row> organisationRows) {
    Map<UUID, List<Service>> services = new HashMap<>();
    for (Row row : offerings) {
      services.computeIfAbsent(row.getUUID("service_point_id"), k -> new ArrayList<>()).add(Service.from(row));
    }
    Map<UUID, Hours> hours = new HashMap<>();
    for (Row row : hourRows) {
      Hours h = hours.computeIfAbsent(row.getUUID("service_point_id"), k -> new Hours());
      switch (row.getString("kind")) {
        case "w" -> h.week().add(WeeklyHours.from(row));
        case "e" -> h.exceptions().add(OpeningException.from(row));
        default -> h.stops().add(MobileStop.from(row));
      }
    }
    var listings = new ArrayList<Listing>(points.size());
    for (ServicePoint point : points) {
      Hours h = hours.getOrDefault(point.id(), new Hours());
      listings.add(new Listing(point, List.copyOf(services.getOrDefault(point.id(), List.of())),
          new OpeningCalendar(point.timeZone(), point.mobile(), h.week(), h.exceptions(), h.stops())));
    }
    Map<UUID, String> organisations = new LinkedHashMap<>();
    for (Row row : organisationRows) {
      organisations.put(row.getUUID("id"), row.getString("name"));
    }
    return new DirectoryOverview(List.copyOf(listings), java.util.Collections.unmodifiableMap(organisations));
  }
}
