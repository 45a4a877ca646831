package se.servicepunkt.testing;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Builds test data on a {@link TestServer}: organisations and service points through the API, accounts in SQL. */
public final class Fixtures {
  private static final String HASH = BCrypt.withDefaults().hashToString(4, TestServer.PASSWORD.toCharArray());
  private final TestServer server;
  private final String sysadmin;

  public Fixtures(TestServer server) {
    this.server = server;
    this.sysadmin = server.sysadminToken();
  }

  public String sysadmin() {
    return sysadmin;
  }

  /** A new organisation; returns its id. */
  public String organisation(String name) {
    var response = server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", name));
    return created(response).getString("id");
  }

  /** A member of staff with these roles (e.g. "admin", "staff"); returns the e-mail (password {@link TestServer#PASSWORD}). */
  public String account(String organisationId, String email, String... roles) {
    server.sql("INSERT INTO staff (organisation_id, email, display_name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)",
        UUID.fromString(organisationId), email, "Test " + email, HASH, roles);
    return email;
  }

  /** An account of this organisation with these roles, signed in; returns its token. */
  public String token(String organisationId, String... roles) {
    String email = String.join("-", roles) + "-" + UUID.randomUUID() + "@test.example";
    return server.signIn(account(organisationId, email, roles), TestServer.PASSWORD);
  }

  /** A service point hosted by the token's organisation; returns its id. */
  public String servicePoint(String adminToken, String name, String kind) {
    var response = server.post("/api/v1/service-points", adminToken,
        new JsonObject().put("name", name).put("kind", kind).put("timeZone", "Europe/Stockholm"));
    return created(response).getString("id");
  }

  /** A service of an organisation with the given channels (desk and/or video); returns its id. */
  public String service(String organisationId, String nameSv, String letter, String... channels) {
    return server.sql("""
        INSERT INTO service (organisation_id, name_sv, name_en, ticket_letter, duration_minutes, channels)
        VALUES ($1, $2, $3, $4, 20, $5) RETURNING id""",
        UUID.fromString(organisationId), nameSv, nameSv + " (en)", letter, channels)
        .iterator().next().getUUID(0).toString();
  }

  /** Opening hours every day of the week, so tests do not depend on today's weekday. */
  public void openEveryDay(String adminToken, String pointId, String opens, String closes) {
    var week = new io.vertx.core.json.JsonArray();
    for (int day = 1; day <= 7; day++) {
      week.add(new JsonObject().put("weekday", day).put("opens", opens).put("closes", closes));
    }
    var response = server.put("/api/v1/service-points/" + pointId + "/opening-hours", adminToken,
        new JsonObject().put("weeklyHours", week));
    if (response.statusCode() != 200) {
      throw new AssertionError(response.bodyAsString());
    }
  }

  public static JsonObject created(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> response) {
    if (response.statusCode() != 201) {
      throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }
}
