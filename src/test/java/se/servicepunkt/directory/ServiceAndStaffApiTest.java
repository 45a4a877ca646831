package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static se.servicepunkt.testing.Fixtures.created;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

class ServiceAndStaffApiTest {
  static TestServer server;
  static Fixtures fx;
  static String city;
  static String cityAdmin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    fx = new Fixtures(server);
    city = fx.organisation("Stockholms stad");
    cityAdmin = fx.token(city, "admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject service(String nameSv, String letter) {
    return new JsonObject().put("nameSv", nameSv).put("nameEn", nameSv + " (en)").put("ticketLetter", letter)
        .put("durationMinutes", 30).put("channels", new JsonArray().add("desk").add("video"));
  }

  @Test
  void anAdminManagesTheOrganisationsServices() {
    var created = created(server.post("/api/v1/services", cityAdmin, service("Hjälp med e-tjänster", "E")));
    String id = created.getString("id");
    assertEquals(city, created.getString("organisationId"));
    assertEquals(60, created.getInteger("minNoticeMinutes"), "default notice");
    assertEquals(List.of("desk", "video"), created.getJsonArray("channels").getList());

    var changed = server.put("/api/v1/services/" + id, cityAdmin, service("Hjälp med e-tjänster", "H")
        .put("channels", new JsonArray().add("video")).put("horizonDays", 30));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals("H", server.get("/api/v1/services/" + id).bodyAsJsonObject().getString("ticketLetter"));
    assertEquals(1, server.get("/api/v1/services?organisation=" + city).bodyAsJsonArray().stream()
        .filter(s -> id.equals(((JsonObject) s).getString("id"))).count());
    assertEquals(204, server.delete("/api/v1/services/" + id, cityAdmin).statusCode());
    assertProblem(server.get("/api/v1/services/" + id), 404);
  }

  @Test
  void badServiceInputChangesNothing() {
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post("/api/v1/services", cityAdmin, new JsonObject()),
        "nameSv", "nameEn", "ticketLetter", "durationMinutes", "channels");
    assertInvalidFields(server.post("/api/v1/services", cityAdmin, service("X", "a")
        .put("durationMinutes", 4).put("channels", new JsonArray().add("phone")).put("horizonDays", 0)
        .put("minNoticeMinutes", -1).put("cancelCutoffMinutes", "soon")),
        "ticketLetter", "durationMinutes", "channels", "horizonDays", "minNoticeMinutes", "cancelCutoffMinutes");
    assertInvalidFields(server.post("/api/v1/services", cityAdmin, service("X", "AB").put("channels", new JsonArray())),
        "ticketLetter", "channels");
    assertInvalidFields(server.post("/api/v1/services", fx.sysadmin(), service("X", "A")), "organisationId");
    assertInvalidFields(server.post("/api/v1/services", fx.sysadmin(), service("X", "A")
        .put("organisationId", UUID.randomUUID().toString())), "organisationId");
    assertInvalidFields(server.get("/api/v1/services?servicePoint=12"), "servicePoint");
    assertProblem(server.put("/api/v1/services/" + UUID.randomUUID(), cityAdmin, service("X", "A")), 404);
    assertEquals(before, DbSnapshot.of(server.pool()));
  }

  static JsonObject person(String email, String... roles) {
    return new JsonObject().put("email", email).put("displayName", "Anna Andersson")
        .put("password", "a-long-enough-password").put("roles", new JsonArray(List.of(roles)));
  }

  @Test
  void anAdminManagesStaffWhoThenSignIn() {
    var created = created(server.post("/api/v1/staff", cityAdmin, person("Anna.Andersson@Stockholm.example", "staff")));
    String id = created.getString("id");
    assertEquals("anna.andersson@stockholm.example", created.getString("email"));
    assertFalse(created.containsKey("password"));
    assertFalse(created.encode().contains("$2"), "no password hash in the answer");
    String anna = server.signIn("anna.andersson@stockholm.example", "a-long-enough-password");
    assertEquals(id, server.get("/api/v1/auth/me", anna).bodyAsJsonObject().getString("id"));
    assertEquals(200, server.get("/api/v1/staff/" + id, anna).statusCode(), "one may read oneself");
    assertProblem(server.get("/api/v1/staff", anna), 403);

    String service = created(server.post("/api/v1/services", cityAdmin, service("Socialtjänst", "S"))).getString("id");
    var skilled = server.put("/api/v1/staff/" + id + "/skills", cityAdmin,
        new JsonObject().put("serviceIds", new JsonArray().add(service)));
    assertEquals(List.of(service), skilled.bodyAsJsonObject().getJsonArray("skills").getList());

    var renamed = server.put("/api/v1/staff/" + id, cityAdmin, person("anna.andersson@stockholm.example", "staff", "admin")
        .put("displayName", "Anna Berg").put("password", "another-long-password"));
    assertEquals(200, renamed.statusCode(), renamed.bodyAsString());
    assertEquals(List.of(service), renamed.bodyAsJsonObject().getJsonArray("skills").getList(), "skills are kept");
    assertProblem(server.post("/api/v1/auth/login", null, new JsonObject()
        .put("email", "anna.andersson@stockholm.example").put("password", "a-long-enough-password")), 401);
    server.signIn("anna.andersson@stockholm.example", "another-long-password");
    assertEquals(1, server.get("/api/v1/staff", cityAdmin).bodyAsJsonArray().stream()
        .filter(s -> id.equals(((JsonObject) s).getString("id"))).count());

    var deactivated = server.put("/api/v1/staff/" + id, cityAdmin, person("anna.andersson@stockholm.example", "staff")
        .put("active", false).putNull("password"));
    assertEquals(200, deactivated.statusCode());
    assertProblem(server.post("/api/v1/auth/login", null, new JsonObject()
        .put("email", "anna.andersson@stockholm.example").put("password", "another-long-password")), 401);
    assertEquals(204, server.delete("/api/v1/staff/" + id, cityAdmin).statusCode());
    assertProblem(server.get("/api/v1/staff/" + id, cityAdmin), 404);
  }

  @Test
  void badStaffInputChangesNothing() {
    var existing = created(server.post("/api/v1/staff", cityAdmin, person("taken@stockholm.example", "staff")));
    String adminId = server.get("/api/v1/auth/me", cityAdmin).bodyAsJsonObject().getString("id");
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post("/api/v1/staff", cityAdmin, new JsonObject()), "email", "displayName", "password", "roles");
    assertInvalidFields(server.post("/api/v1/staff", cityAdmin, person("not-an-address", "sysadmin")
        .put("password", "short").put("active", "yes")), "email", "roles", "password", "active");
    assertProblem(server.post("/api/v1/staff", cityAdmin, person("TAKEN@stockholm.example", "staff")), 409);
    assertProblem(server.put("/api/v1/staff/" + adminId, cityAdmin, person("self@stockholm.example", "staff")), 409);
    assertProblem(server.delete("/api/v1/staff/" + adminId, cityAdmin), 409);
    assertInvalidFields(server.put("/api/v1/staff/" + existing.getString("id") + "/skills", cityAdmin,
        new JsonObject().put("serviceIds", new JsonArray().add("x"))), "serviceIds");
    assertInvalidFields(server.put("/api/v1/staff/" + existing.getString("id") + "/skills", cityAdmin,
        new JsonObject().put("serviceIds", new JsonArray().add(UUID.randomUUID().toString()))), "serviceIds");
    assertProblem(server.put("/api/v1/staff/" + UUID.randomUUID() + "/skills", cityAdmin,
        new JsonObject().put("serviceIds", new JsonArray())), 404);
    assertEquals(before, DbSnapshot.of(server.pool()));
  }
}
