package se.servicepunkt.bench;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The scenario's data, made through the API where a city's administrator would make it: one
 * organisation; a joint lobby open around the clock with four walk-in services, {@code counters}
 * counters, as many staff accounts with every skill, and {@code displays} display tokens; and a
 * bookable point with one service and {@code bookingStaff} staff on shifts 08–18 for four weeks.
 * Accounts are inserted by SQL (there is no API to set a password without signing in): the lobby's
 * staff with a hash of the default cost of {@code conf/servicepunkt.json} (10), so their sign-ins
 * cost what a morning's do in production (a hash of another cost is made again at the first
 * sign-in, which doubles that one's cost; a profile of the earlier cost-12 setup showed the
 * instances spending most of the run's first minutes on it).
 */
final class LobbySetup {
  static final String PASSWORD = "system-benchmark-password";
  static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
  static final int BOOKABLE_DAYS = 28;
  private static final String INSERT_STAFF = """
      INSERT INTO staff (organisation_id, email, display_name, password_hash, roles)
      VALUES ($1, $2, $3, $4, $5) RETURNING id""";

  record Staff(String id, String email, String counter) {
  }

  record Lobby(String organisation, String lobby, List<String> services, List<Staff> staff, List<String> displayTokens,
               String bookable, String bookedService, LocalDate firstBookable) {
  }

  private LobbySetup() {
  }

  static Lobby create(WebClient http, Pool db, String sysEmail, String sysPassword, int counters, int displays,
                      int bookingStaff) {
    String cheap = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
    String dear = BCrypt.withDefaults().hashToString(10, PASSWORD.toCharArray());
    String sysadmin = signIn(http, sysEmail, sysPassword);
    String run = UUID.randomUUID().toString().substring(0, 8);
    String org = created(http.post("/api/v1/organisations").putHeader("Authorization", "Bearer " + sysadmin)
        .sendJsonObject(new JsonObject().put("name", "Stadens servicepunkter " + run)).await()).getString("id");
    String adminEmail = "admin-" + run + "@system.bench";
    insertStaff(db, org, adminEmail, cheap, "admin");
    String admin = signIn(http, adminEmail, PASSWORD);

    var services = new ArrayList<String>();
    for (String letter : List.of("A", "B", "C", "D")) {
      services.add(created(http.post("/api/v1/services").putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject()
          .put("nameSv", "Ärende " + letter).put("nameEn", "Errand " + letter).put("ticketLetter", letter)
          .put("durationMinutes", 15).put("channels", new JsonArray().add("desk"))).await()).getString("id"));
    }
    String lobby = point(http, admin, "Medborgarhuset " + run, "00:00", "23:59");
    for (String service : services) {
      expect(http.put("/api/v1/service-points/" + lobby + "/services/" + service).putHeader("Authorization", "Bearer " + admin).send().await(),
          204);
    }
    var skills = new JsonObject().put("serviceIds", new JsonArray(new ArrayList<Object>(services)));
    var staff = new ArrayList<Staff>();
    for (int i = 0; i < counters; i++) {
      String counter = created(http.post("/api/v1/service-points/" + lobby + "/counters").putHeader("Authorization", "Bearer " + admin)
          .sendJsonObject(new JsonObject().put("name", "Lucka " + (i + 1)).put("channel", "desk")).await()).getString("id");
      String email = "staff" + i + "-" + run + "@system.bench";
      String id = insertStaff(db, org, email, dear, "staff");
      expect(http.put("/api/v1/staff/" + id + "/skills").putHeader("Authorization", "Bearer " + admin).sendJsonObject(skills).await(), 200);
      staff.add(new Staff(id, email, counter));
    }
    var tokens = new ArrayList<String>();
    for (int i = 0; i < displays; i++) {
      tokens.add(created(http.post("/api/v1/service-points/" + lobby + "/display-tokens").putHeader("Authorization", "Bearer " + admin)
          .sendJsonObject(new JsonObject().put("name", "Skärm " + (i + 1))).await()).getString("token"));
    }

    String booked = created(http.post("/api/v1/services").putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject()
        .put("nameSv", "Bokat besök").put("nameEn", "Booked visit").put("ticketLetter", "E").put("durationMinutes", 15)
        .put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0).put("horizonDays", 60)).await())
        .getString("id");
    String bookable = point(http, admin, "Bokningskontoret " + run, "08:00", "18:00");
    expect(http.put("/api/v1/service-points/" + bookable + "/services/" + booked).putHeader("Authorization", "Bearer " + admin).send().await(),
        204);
    LocalDate first = LocalDate.now(ZONE).plusDays(1);
    var shifts = new ArrayList<Object>();
    for (int i = 0; i < bookingStaff; i++) {
      String id = insertStaff(db, org, "booking" + i + "-" + run + "@system.bench", cheap, "staff");
      expect(http.put("/api/v1/staff/" + id + "/skills").putHeader("Authorization", "Bearer " + admin)
          .sendJsonObject(new JsonObject().put("serviceIds", new JsonArray().add(booked))).await(), 200);
      for (int d = 0; d < BOOKABLE_DAYS; d++) {
        shifts.add(new JsonObject().put("staffId", id).put("servicePointId", bookable).put("channel", "desk")
            .put("start", ZonedDateTime.of(first.plusDays(d), LocalTime.of(8, 0), ZONE).toOffsetDateTime().toString())
            .put("end", ZonedDateTime.of(first.plusDays(d), LocalTime.of(18, 0), ZONE).toOffsetDateTime().toString()));
      }
    }
    for (int i = 0; i < shifts.size(); i += 500) {
      expect(http.post("/api/v1/shifts/batch").putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject()
          .put("shifts", new JsonArray(shifts.subList(i, Math.min(shifts.size(), i + 500))))).await(), 201);
    }
    return new Lobby(org, lobby, services, staff, tokens, bookable, booked, first);
  }

  private static String point(WebClient http, String admin, String name, String opens, String closes) {
    String id = created(http.post("/api/v1/service-points").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("name", name).put("kind", "office").put("timeZone", ZONE.getId())).await())
        .getString("id");
    var week = new JsonArray();
    for (int day = 1; day <= 7; day++) {
      week.add(new JsonObject().put("weekday", day).put("opens", opens).put("closes", closes));
    }
    expect(http.put("/api/v1/service-points/" + id + "/opening-hours").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("weeklyHours", week)).await(), 200);
    return id;
  }

  private static String insertStaff(Pool db, String org, String email, String hash, String role) {
    return db.preparedQuery(INSERT_STAFF).execute(Tuple.of(UUID.fromString(org), email, email, hash, new String[] {role}))
        .await().iterator().next().getUUID(0).toString();
  }

  static String signIn(WebClient http, String email, String password) {
    return created(http.post("/api/v1/auth/login").sendJsonObject(new JsonObject().put("email", email)
        .put("password", password)).await()).getString("accessToken");
  }

  private static JsonObject created(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new IllegalStateException("setup: expected 200/201, got " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  private static void expect(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("setup: expected " + status + ", got " + response.statusCode() + ": "
          + response.bodyAsString());
    }
  }

}
