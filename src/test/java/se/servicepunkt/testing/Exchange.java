package se.servicepunkt.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request and its answer as a test client saw them, for {@link ApiContract}. {@code uri}
 * is the path with its query; bodies are null when there were none (or, for a request, when it
 * was not sent as bytes this class can show, such as a form).
 */
public record Exchange(HttpMethod method, String uri, MultiMap requestHeaders, Buffer requestBody,
    int status, MultiMap responseHeaders, Buffer responseBody) {

  public String path() {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  /** The request's media type without parameters, or null. */
  public String requestType() {
    return mediaType(requestHeaders.get("Content-Type"));
  }

  /** The answer's media type without parameters (such as charset), or null. */
  public String responseType() {
    return mediaType(responseHeaders.get("Content-Type"));
  }

  public boolean accepted() {
    return status >= 200 && status < 300;
  }

  @Override
  public String toString() {
    return method + " " + uri + " answered " + status
        + (responseType() == null ? "" : " " + responseType())
        + (responseBody == null || responseBody.length() == 0 ? "" : ": " + abbreviated(responseBody.toString()));
  }

  private static String abbreviated(String text) {
    return text.length() <= 600 ? text : text.substring(0, 600) + "…";
  }

  private static String mediaType(String header) {
    if (header == null) {
      return null;
    }
    int parameters = header.indexOf(';');
    return (parameters < 0 ? header : header.substring(0, parameters)).trim().toLowerCase(java.util.Locale.ROOT);
  }
}
