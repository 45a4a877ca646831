package se.servicepunkt.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A failure that the client caused or must know about, rendered once by {@link FailureHandler}
 * as {@code application/problem+json} (RFC 9457).
 */
public class Problem extends RuntimeException {
  public record FieldError(String field, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  private final int status;
  private final String title;
  private final List<FieldError> errors;
  private final Long retryAfterSeconds;

  public Problem(int status, String title, String detail, List<FieldError> errors, Long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad request", detail, List.of(), null);
  }

  public static Problem invalid(List<FieldError> errors) {
    return new Problem(422, "Invalid input", "Some fields are missing or invalid.", errors, null);
  }

  public static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail, List.of(), null);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail, List.of(), null);
  }

  public static Problem notFound(String what) {
    return new Problem(404, "Not found", what + " was not found.", List.of(), null);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail, List.of(), null);
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "Unsupported media type", detail, List.of(), null);
  }

  public static Problem tooManyRequests(String detail, long retryAfterSeconds) {
    return new Problem(429, "Too many requests", detail, List.of(), retryAfterSeconds);
  }

  /** The server cannot serve this now (busy, or too slow this time); the client may try again after the wait. */
  public static Problem unavailable(String detail, long retryAfterSeconds) {
    return new Problem(503, "Service unavailable", detail, List.of(), retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public JsonObject toJson(String instance) {
    var json = new JsonObject()
        .put("type", "about:blank")
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (instance != null) {
      json.put("instance", instance);
    }
    if (!errors.isEmpty()) {
      json.put("errors", new JsonArray(errors.stream().map(FieldError::toJson).toList()));
    }
    return json;
  }
}
