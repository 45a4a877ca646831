package se.servicepunkt.directory;

import se.servicepunkt.core.Rows;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

/** SQL for when a service point is open: weekly hours, dated exceptions and a mobile unit's stops. */
final class HoursRepository {
  private static final String WEEK = """
      SELECT weekday, opens, closes FROM weekly_hours WHERE service_point_id = $1 ORDER BY weekday, opens""";
  private static final String CLEAR_WEEK = "DELETE FROM weekly_hours WHERE service_point_id = $1";
  private static final String INSERT_HOURS = """
      INSERT INTO weekly_hours (service_point_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)""";
  private static final String EXCEPTIONS = """
      SELECT id, day, closed, opens, closes, reason FROM opening_exception
      WHERE service_point_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day""";
  private static final String PUT_EXCEPTION = """
      INSERT INTO opening_exception (service_point_id, day, closed, opens, closes, reason)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (service_point_id, day) DO UPDATE
        SET closed = excluded.closed, opens = excluded.opens, closes = excluded.closes, reason = excluded.reason
      RETURNING id, day, closed, opens, closes, reason""";
  private static final String DELETE_EXCEPTION = "DELETE FROM opening_exception WHERE service_point_id = $1 AND day = $2";
  private static final String STOPS = """
      SELECT id, day, opens, closes, place, street, city
      FROM mobile_stop WHERE service_point_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day, opens""";
  private static final String INSERT_STOP = """
      INSERT INTO mobile_stop (service_point_id, day, opens, closes, place, street, city)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      RETURNING id, day, opens, closes, place, street, city""";
  private static final String UPDATE_STOP = """
      UPDATE mobile_stop SET day = $3, opens = $4, closes = $5, place = $6, street = $7, city = $8
      WHERE service_point_id = $1 AND id = $2
      RETURNING id, day, opens, closes, place, street, city""";
  private static final String DELETE_STOP = "DELETE FROM mobile_stop WHERE service_point_id = $1 AND id = $2";

  /** Weekly hours, and the exceptions and stops between two dates, in one round trip. */
  private static final String CALENDAR = """
      SELECT 'w' AS kind, NULL::uuid AS id, weekday, NULL::date AS day, opens, closes, NULL::boolean AS closed,
             NULL AS reason, NULL AS place, NULL AS street, NULL AS city
      FROM weekly_hours WHERE service_point_id = $1
      UNION ALL
      SELECT 'e', id, NULL, day, opens, closes, closed, reason, NULL, NULL, NULL
      FROM opening_exception WHERE service_point_id = $1 AND day BETWEEN $2 AND $3
      UNION ALL
      SELECT 's', id, NULL, day, opens, closes, NULL, NULL, place, street, city
      FROM mobile_stop WHERE service_point_id = $1 AND day BETWEEN $2 AND $3""";

  /** What a point's opening calendar is made of. */
  record Hours(List<WeeklyHours> week, List<OpeningException> exceptions, List<MobileStop> stops) {
  }

  Future<Hours> hours(SqlClient db, UUID point, LocalDate from, LocalDate to) {
    return db.preparedQuery(CALENDAR).execute(Tuple.of(point, from, to)).map(rows -> {
      var week = new java.util.ArrayList<WeeklyHours>();
      var exceptions = new java.util.ArrayList<OpeningException>();
      var stops = new java.util.ArrayList<MobileStop>();
      for (var row : rows) {
        switch (row.getString("kind")) {
          case "w" -> week.add(WeeklyHours.from(row));
          case "e" -> exceptions.add(OpeningException.from(row));
          default -> stops.add(MobileStop.from(row));
        }
      }
      return new Hours(week, exceptions, stops);
    });
  }

  /** A stop's fields, already checked. */
  record StopFields(LocalDate date, LocalTime opens, LocalTime closes, String place, String street, String city) {
  }

  Future<List<WeeklyHours>> week(SqlClient db, UUID point) {
    return Rows.list(db.preparedQuery(WEEK).mapping(WeeklyHours::from).execute(Tuple.of(point)));
  }

  /** Replaces the whole week; run it in a transaction. */
  Future<Void> replaceWeek(SqlClient tx, UUID point, List<WeeklyHours> week) {
    var batch = week.stream().map(h -> Tuple.of(point, h.weekday(), h.opens(), h.closes())).toList();
    return tx.preparedQuery(CLEAR_WEEK).execute(Tuple.of(point))
        .compose(v -> batch.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(INSERT_HOURS).executeBatch(batch))
        .mapEmpty();
  }

  Future<List<OpeningException>> exceptions(SqlClient db, UUID point, LocalDate from, LocalDate to) {
    return Rows.list(db.preparedQuery(EXCEPTIONS).mapping(OpeningException::from).execute(Tuple.of(point, from, to)));
  }

  Future<OpeningException> putException(SqlClient db, UUID point, OpeningException e) {
    return Rows.one(db.preparedQuery(PUT_EXCEPTION).mapping(OpeningException::from)
        .execute(Tuple.of(point, e.date(), e.closed(), e.opens(), e.closes(), e.reason())), "The exception");
  }

  Future<Void> deleteException(SqlClient db, UUID point, LocalDate date) {
    return Rows.changed(db.preparedQuery(DELETE_EXCEPTION).execute(Tuple.of(point, date)), "An exception on that date");
  }

  Future<List<MobileStop>> stops(SqlClient db, UUID point, LocalDate from, LocalDate to) {
    return Rows.list(db.preparedQuery(STOPS).mapping(MobileStop::from).execute(Tuple.of(point, from, to)));
  }

  Future<MobileStop> insertStop(SqlClient db, UUID point, StopFields f) {
    return Rows.one(db.preparedQuery(INSERT_STOP).mapping(MobileStop::from)
        .execute(Tuple.tuple(List.of(point, f.date(), f.opens(), f.closes(), f.place()))
            .addValue(f.street()).addValue(f.city())), "The stop");
  }

  Future<MobileStop> updateStop(SqlClient db, UUID point, UUID stop, StopFields f) {
    return Rows.one(db.preparedQuery(UPDATE_STOP).mapping(MobileStop::from)
        .execute(Tuple.tuple(List.of(point, stop, f.date(), f.opens(), f.closes(), f.place()))
            .addValue(f.street()).addValue(f.city())), "The stop");
  }

  Future<Void> deleteStop(SqlClient db, UUID point, UUID stop) {
    return Rows.changed(db.preparedQuery(DELETE_STOP).execute(Tuple.of(point, stop)), "The stop");
  }
}
