package se.servicepunkt.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.servicepunkt.testing.Problems.assertInvalidFields;
import static se.servicepunkt.testing.Problems.assertProblem;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.DbSnapshot;
import se.servicepunkt.testing.TestServer;

class OrganisationApiTest {
  static TestServer server;
  static String sysadmin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    sysadmin = server.sysadminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void sysadminCreatesRenamesListsAndDeletes() {
    var created = server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", "Region Gotland"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("id");
    assertEquals("/api/v1/organisations/" + id, created.getHeader("Location"));

    var renamed = server.put("/api/v1/organisations/" + id, sysadmin, new JsonObject().put("name", "Region Gotland (RG)"));
    assertEquals(200, renamed.statusCode());
    assertEquals("Region Gotland (RG)", server.get("/api/v1/organisations/" + id).bodyAsJsonObject().getString("name"));
    assertEquals(1, server.get("/api/v1/organisations").bodyAsJsonArray().stream()
        .filter(o -> id.equals(((JsonObject) o).getString("id"))).count());

    assertEquals(204, server.delete("/api/v1/organisations/" + id, sysadmin).statusCode());
    assertProblem(server.get("/api/v1/organisations/" + id), 404);
  }

  @Test
  void badInputChangesNothing() {
    server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", "Taken name"));
    var before = DbSnapshot.of(server.pool());
    assertInvalidFields(server.post("/api/v1/organisations", sysadmin, new JsonObject()), "name");
    assertInvalidFields(server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", " ")), "name");
    assertInvalidFields(server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", 7)), "name");
    assertInvalidFields(server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", "x".repeat(201))), "name");
    assertProblem(server.post("/api/v1/organisations", sysadmin, "{not json"), 400);
    assertProblem(server.post("/api/v1/organisations", sysadmin, "[1,2]"), 400);
    assertProblem(server.post("/api/v1/organisations", sysadmin, new JsonObject().put("name", "TAKEN NAME")), 409);
    assertProblem(server.post("/api/v1/organisations", null, new JsonObject().put("name", "No token")), 401);
    assertProblem(server.post("/api/v1/organisations", "not.a.token", new JsonObject().put("name", "Bad token")), 401);
    assertProblem(server.put("/api/v1/organisations/not-an-id", sysadmin, new JsonObject().put("name", "x")), 404);
    assertProblem(server.post("/api/v1/organisations", sysadmin,
        new JsonObject().put("name", "x".repeat(server.config().bodyLimitBytes() + 10))), 413);
    assertEquals(before, DbSnapshot.of(server.pool()));
  }
}
