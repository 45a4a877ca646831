package se.servicepunkt.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract check itself: it rejects what {@code openapi.yaml} does not describe, so the
 * suite passing it means something. Exchanges here are made up; the last test goes through a
 * real server's client.
 */
class ApiContractTest {
  private static final String ORGANISATION = "/api/v1/organisations/6f1c2a4e-8d1b-4f5a-9a3e-2b7c9d0e1f23";
  private static final String ID = "6f1c2a4e-8d1b-4f5a-9a3e-2b7c9d0e1f23";

  static Vertx vertx;
  static ApiContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = ApiContract.get();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  void aMatchingAnswerPasses() {
    contract.check(vertx, answer(HttpMethod.GET, ORGANISATION, 200, "application/json",
        new JsonObject().put("id", ID).put("name", "Huddinge kommun"))).await();
  }

  @Test
  void aBodyThatDoesNotMatchItsSchemaIsRejected() {
    var violation = rejected(answer(HttpMethod.GET, ORGANISATION, 200, "application/json",
        new JsonObject().put("id", ID).put("name", 42)));
    assertTrue(violation.getMessage().contains("GET " + ORGANISATION + " answered 200"), violation::getMessage);
    assertTrue(violation.getMessage().contains("getOrganisation"), violation::getMessage);
    assertTrue(violation.getMessage().contains("#/name"), violation::getMessage);
  }

  @Test
  void anUndeclaredStatusIsRejected() {
    var violation = rejected(answer(HttpMethod.GET, ORGANISATION, 418, "application/problem+json", problem(418)));
    assertTrue(violation.getMessage().contains("declares no response 418"), violation::getMessage);
  }

  @Test
  void anUndeclaredContentTypeIsRejected() {
    var exchange = new Exchange(HttpMethod.GET, ORGANISATION, MultiMap.caseInsensitiveMultiMap(), null, 200,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/html"), Buffer.buffer("<p>Huddinge</p>"));
    var violation = rejected(exchange);
    assertTrue(violation.getMessage().contains("not text/html"), violation::getMessage);
  }

  @Test
  void aRequiredHeaderMustBeThere() {
    var created = new JsonObject().put("id", ID).put("name", "Region Gotland");
    var headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    var withoutLocation = new Exchange(HttpMethod.POST, "/api/v1/organisations", headers, created.toBuffer(), 201,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), created.toBuffer());
    var violation = rejected(withoutLocation);
    assertTrue(violation.getMessage().contains("Location"), violation::getMessage);

    var unauthorized = answer(HttpMethod.GET, "/api/v1/auth/me", 401, "application/problem+json", problem(401));
    assertTrue(rejected(unauthorized).getMessage().contains("WWW-Authenticate"));
    unauthorized.responseHeaders().add("WWW-Authenticate", "Bearer");
    contract.check(vertx, unauthorized).await();
  }

  @Test
  void aProblemMustMatchTheProblemSchema() {
    contract.check(vertx, answer(HttpMethod.GET, ORGANISATION, 404, "application/problem+json", problem(404))).await();
    var violation = rejected(answer(HttpMethod.GET, ORGANISATION, 404, "application/problem+json",
        problem(404).put("status", "not found")));
    assertTrue(violation.getMessage().contains("#/status"), violation::getMessage);
  }

  @Test
  void anAcceptedRequestMustBeValidButARefusedOneMayNotBe() {
    var invalid = new JsonObject().put("name", "");
    var headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    var accepted = new Exchange(HttpMethod.PUT, ORGANISATION, headers, invalid.toBuffer(), 200,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"),
        new JsonObject().put("id", ID).put("name", "").toBuffer());
    var violation = rejected(accepted);
    assertTrue(violation.getMessage().contains("does not allow"), violation::getMessage);

    var refused = new Exchange(HttpMethod.PUT, ORGANISATION, headers, invalid.toBuffer(), 422,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/problem+json"), problem(422).toBuffer());
    contract.check(vertx, refused).await();
  }

  @Test
  void aPathOutsideTheDocumentIsRejectedUnlessListedAsOutsideTheContract() {
    var violation = rejected(answer(HttpMethod.GET, "/api/v1/no-such-thing", 404, "application/problem+json",
        problem(404)));
    assertTrue(violation.getMessage().contains("no operation in openapi.yaml"), violation::getMessage);
    contract.check(vertx, new Exchange(HttpMethod.GET, "/video/sp-room", MultiMap.caseInsensitiveMultiMap(), null,
        200, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/html"), Buffer.buffer("<p>"))).await();
  }

  @Test
  void theTestServersClientFailsTheTestOnAViolation() {
    try (var server = TestServer.start()) {
      var violation = assertThrows(ContractViolation.class, () -> server.get("/api/v1/no-such-thing"));
      assertTrue(violation.getMessage().contains("GET /api/v1/no-such-thing answered 404"), violation::getMessage);
    }
  }

  private static ContractViolation rejected(Exchange exchange) {
    return assertThrows(ContractViolation.class, () -> contract.check(vertx, exchange).await(),
        () -> "the contract let this pass: " + exchange);
  }

  private static Exchange answer(HttpMethod method, String uri, int status, String type, JsonObject body) {
    return new Exchange(method, uri, MultiMap.caseInsensitiveMultiMap(), null, status,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", type), body.toBuffer());
  }

  private static JsonObject problem(int status) {
    return new JsonObject().put("type", "about:blank").put("title", "Not found").put("status", status)
        .put("detail", "No such organisation.");
  }
}
