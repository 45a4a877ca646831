package se.servicepunkt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Set;
import java.util.stream.Collectors;

/** Assertions on problem+json answers. */
public final class Problems {
  private Problems() {
  }

  /** Asserts the status and the problem+json shape; returns the problem. */
  public static JsonObject assertProblem(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), () -> "body: " + response.bodyAsString());
    assertTrue(String.valueOf(response.getHeader("Content-Type")).startsWith("application/problem+json"),
        () -> "content type " + response.getHeader("Content-Type"));
    JsonObject problem = response.bodyAsJsonObject();
    assertEquals(status, problem.getInteger("status"));
    assertTrue(problem.getString("title") != null && problem.getString("detail") != null);
    return problem;
  }

  /** Asserts a 422 that names exactly these fields. */
  public static void assertInvalidFields(HttpResponse<Buffer> response, String... fields) {
    JsonObject problem = assertProblem(response, 422);
    Set<String> named = problem.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field")).collect(Collectors.toSet());
    assertEquals(Set.of(fields), named, () -> "errors: " + problem.getJsonArray("errors"));
  }
}
