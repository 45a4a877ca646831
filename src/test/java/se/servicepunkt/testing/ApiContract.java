package se.servicepunkt.testing;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.impl.Utils;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code openapi.yaml} as the contract every exchange of the test suite is held to: the answer's
 * status, content type, headers and body must be declared for its operation, and a request the
 * server accepted (2xx) must be valid against the operation's parameters and request body. A
 * request the server refused may be invalid: tests send bad requests on purpose.
 *
 * <p>Loaded once per JVM. vertx-openapi 5.0 validates only JSON, multipart and plain-text bodies
 * and refuses a document that declares any other media type, {@code application/problem+json}
 * included. So the copy of the document handed to the library declares problems as
 * {@code application/json} (the same schema, checked as JSON), and leaves out what it cannot
 * check at all (HTML pages, the calendar file, event streams, the YAML description, metrics
 * text, forms): for those only the content type is checked against what the operation declares.
 *
 * <p>The public API builds a request to validate only from an {@code HttpServerRequest}, on the
 * server; a client's request is handed over in the library's own {@code ValidatableRequestImpl}.
 */
public final class ApiContract {
  /**
   * What the server answers that is not API and so outside the contract: paths matching one of
   * these are not checked. Everything else must be in {@code openapi.yaml}.
   */
  public static final List<Pattern> OUTSIDE_THE_CONTRACT = List.of(
      // Demo mode's stand-in for a video meeting provider: a page for people, not API.
      Pattern.compile("/video/[^/]+"));

  /**
   * The media types whose bodies vertx-openapi 5.0 checks against their schema (it accepts
   * {@code text/plain} in a document but cannot hold its body to a schema).
   */
  private static final Set<String> CHECKED_MEDIA_TYPES = Set.of("application/json", "multipart/form-data");

  private static ApiContract loaded;

  private final OpenAPIContract contract;
  /**
   * The media types the document declares, by operation id and then "request" or the status,
   * each mapped to the type the library's copy holds its schema under, or to "" where the library
   * cannot check it.
   */
  private final Map<String, Map<String, Map<String, String>>> declared;

  private ApiContract(OpenAPIContract contract, Map<String, Map<String, Map<String, String>>> declared) {
    this.contract = contract;
    this.declared = declared;
  }

  /** The contract of this JVM, loaded on first use. */
  public static synchronized ApiContract get() {
    if (loaded == null) {
      loaded = load(read("openapi.yaml"));
    }
    return loaded;
  }

  private static ApiContract load(String yaml) {
    JsonObject document = Utils.yamlStringToJson(yaml).await();
    Map<String, Map<String, Map<String, String>>> declared = new HashMap<>();
    adaptMediaTypes(document, declared);
    Vertx loader = Vertx.vertx();
    try {
      return new ApiContract(OpenAPIContract.from(loader, document).await(), declared);
    } finally {
      loader.close().await();
    }
  }

  /**
   * Checks one exchange; the future fails with a {@link ContractViolation} that names the
   * method, path, status and what disagrees.
   */
  public Future<Void> check(Vertx vertx, Exchange exchange) {
    String path = exchange.path();
    if (OUTSIDE_THE_CONTRACT.stream().anyMatch(p -> p.matcher(path).matches())) {
      return Future.succeededFuture();
    }
    Operation operation = contract.findOperation(path, exchange.method());
    if (operation == null) {
      return violation(exchange, "no operation in openapi.yaml for " + exchange.method() + " " + path
          + " (declare it, or list the path in ApiContract.OUTSIDE_THE_CONTRACT if it is not API)");
    }
    Future<Void> request = exchange.accepted() ? checkRequest(vertx, operation, exchange) : Future.succeededFuture();
    return request.compose(v -> checkResponse(vertx, operation, exchange));
  }

  private Future<Void> checkRequest(Vertx vertx, Operation operation, Exchange exchange) {
    String id = operation.getOperationId();
    Map<String, String> types = declared(id, "request");
    String type = exchange.requestType();
    boolean hasBody = exchange.requestBody() != null && exchange.requestBody().length() > 0;
    if (types.isEmpty() && hasBody) {
      return violation(exchange, "the server accepted a request body, but " + id + " declares none");
    }
    if (!types.isEmpty() && type != null && !types.containsKey(type)) {
      return violation(exchange, "the server accepted a request of type " + type + " but " + id + " declares "
          + types.keySet());
    }
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> pathParameters = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    Map<String, List<String>> queryValues = new QueryStringDecoder(exchange.uri()).parameters();
    String[] segments = exchange.path().substring(1).split("/");
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      String value = switch (parameter.getIn()) {
        case HEADER -> exchange.requestHeaders().get(name);
        case PATH -> {
          int segment = RequestUtils.findPathSegment(operation.getAbsoluteOpenAPIPath(), name);
          yield segment <= segments.length ? URLDecoder.decode(segments[segment - 1], StandardCharsets.UTF_8) : null;
        }
        case QUERY -> queryValues.getOrDefault(name, List.of()).stream().findFirst().orElse(null);
        default -> null;
      };
      var target = parameter.getIn() == Location.HEADER ? headers
          : parameter.getIn() == Location.PATH ? pathParameters : query;
      target.put(name, new RequestParameterImpl(value));
    }
    Buffer body = operation.getRequestBody() == null ? null : exchange.requestBody();
    var request = new ValidatableRequestImpl(Map.of(), headers, pathParameters, query,
        new RequestParameterImpl(body), type == null ? null : types.getOrDefault(type, type));
    return RequestValidator.create(vertx, contract).validate(request, id)
        .<Void>mapEmpty()
        .recover(e -> violation(exchange, "the server accepted a request that " + id + " does not allow: "
            + describe(e)));
  }

  private Future<Void> checkResponse(Vertx vertx, Operation operation, Exchange exchange) {
    String id = operation.getOperationId();
    Response forStatus = operation.getResponse(exchange.status());
    boolean byDefault = forStatus == null;
    Response declaredResponse = byDefault ? operation.getDefaultResponse() : forStatus;
    if (declaredResponse == null) {
      return violation(exchange, id + " declares no response " + exchange.status());
    }
    Map<String, String> types = declared(id, byDefault ? "default" : String.valueOf(exchange.status()));
    String type = exchange.responseType();
    boolean hasBody = exchange.responseBody() != null && exchange.responseBody().length() > 0;
    if (types.isEmpty() && (hasBody || type != null)) {
      return violation(exchange, id + " declares no body for " + exchange.status());
    }
    if (!types.isEmpty() && !types.containsKey(type)) {
      return violation(exchange, id + " declares " + new TreeSet<>(types.keySet()) + " for " + exchange.status()
          + ", not " + type);
    }
    Map<String, String> headers = new HashMap<>();
    for (Parameter header : declaredResponse.getHeaders()) {
      String value = exchange.responseHeaders().get(header.getName());
      if (value != null) {
        headers.put(header.getName(), value);
      }
    }
    String checkedAs = types.getOrDefault(type, "");
    if (checkedAs.isEmpty() && types.values().stream().anyMatch(checkable -> !checkable.isEmpty())) {
      // A declared type the library cannot check (text/csv) beside one it can (JSON): the library
      // would ask for the JSON body; the type itself was checked above.
      return Future.succeededFuture();
    }
    var response = checkedAs.isEmpty()
        ? ValidatableResponse.create(exchange.status(), headers)
        : ValidatableResponse.create(exchange.status(), headers, hasBody ? exchange.responseBody() : null, checkedAs);
    return ResponseValidator.create(vertx, contract).validate(response, id)
        .<Void>mapEmpty()
        .recover(e -> violation(exchange, "the answer does not match " + id + ": " + describe(e)));
  }

  private static Future<Void> violation(Exchange exchange, String what) {
    return Future.failedFuture(new ContractViolation(exchange, what));
  }

  /** The validator's message, with each failing schema keyword and where in the document it failed. */
  static String describe(Throwable e) {
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<OutputUnit> errors = schema.getOutputUnit().getErrors();
      String details = errors == null ? "" : errors.stream()
          .map(u -> u.getInstanceLocation() + ": " + u.getError() + " (" + u.getKeywordLocation() + ")")
          .distinct()
          .collect(Collectors.joining("; "));
      return e.getMessage() + (details.isEmpty() ? "" : " [" + details + "]");
    }
    return String.valueOf(e.getMessage());
  }

  private Map<String, String> declared(String operationId, String place) {
    return declared.getOrDefault(operationId, Map.of()).getOrDefault(place, Map.of());
  }

  /**
   * Records every media type the document declares and rewrites the library's copy to what it
   * can check: {@code application/problem+json} becomes {@code application/json} (same schema,
   * checked as JSON); types it cannot check at all are removed, and a request body left without
   * content with them.
   */
  private static void adaptMediaTypes(JsonObject document, Map<String, Map<String, Map<String, String>>> declared) {
    JsonObject paths = document.getJsonObject("paths", new JsonObject());
    JsonObject components = document.getJsonObject("components", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject operation) || !operation.containsKey("operationId")) {
          continue;
        }
        var byPlace = declared.computeIfAbsent(operation.getString("operationId"), k -> new HashMap<>());
        if (operation.getJsonObject("requestBody") != null) {
          JsonObject body = inlined(operation, "requestBody", components);
          byPlace.put("request", adapt(body));
          if (body.getJsonObject("content", new JsonObject()).isEmpty()) {
            operation.remove("requestBody");
          }
        }
        JsonObject responses = operation.getJsonObject("responses", new JsonObject());
        for (String status : responses.fieldNames()) {
          byPlace.put(status, adapt(inlined(responses, status, components)));
        }
      }
    }
  }

  /** {@code holder.key}, a copy of its target if it is a reference to a component, put in its place. */
  private static JsonObject inlined(JsonObject holder, String key, JsonObject components) {
    JsonObject value = holder.getJsonObject(key);
    String ref = value.getString("$ref");
    if (ref == null || !ref.startsWith("#/components/")) {
      return value;
    }
    String[] parts = ref.substring("#/components/".length()).split("/");
    JsonObject copy = components.getJsonObject(parts[0]).getJsonObject(parts[1]).copy();
    holder.put(key, copy);
    return copy;
  }

  private static Map<String, String> adapt(JsonObject requestOrResponse) {
    Map<String, String> types = new HashMap<>();
    JsonObject content = requestOrResponse.getJsonObject("content");
    if (content == null) {
      return types;
    }
    for (String type : Set.copyOf(content.fieldNames())) {
      if (CHECKED_MEDIA_TYPES.contains(type)) {
        types.put(type, type);
      } else if (type.endsWith("+json") && !content.containsKey("application/json")) {
        content.put("application/json", content.remove(type));
        types.put(type, "application/json");
      } else {
        content.remove(type);
        types.put(type, "");
      }
    }
    return types;
  }

  private static String read(String resource) {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
