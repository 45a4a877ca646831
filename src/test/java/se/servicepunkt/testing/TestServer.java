package se.servicepunkt.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import se.servicepunkt.Servicepunkt;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.config.ConfigLoader;

/**
 * A whole Servicepunkt server on a fresh database of its own, with a blocking HTTP client for
 * the JUnit thread. The system administrator {@link #SYSADMIN_EMAIL} exists from the start.
 * Every exchange through {@link #client()}, {@link #call} and {@link #stream} is held to
 * {@code openapi.yaml} ({@link ApiContract}).
 */
public final class TestServer implements AutoCloseable {
  public static final String SYSADMIN_EMAIL = "sysadmin@test.example";
  public static final String PASSWORD = "correct-horse-battery";
  public static final String JWT_SECRET = "test-secret-that-is-at-least-32-bytes-long";

  private final Servicepunkt server;
  private final AppConfig config;
  private final java.time.Clock clock;
  private final WebClient client;

  private TestServer(AppConfig config, java.time.Clock clock) {
    this.config = config;
    this.clock = clock;
    this.server = Servicepunkt.start(config, clock);
    this.client = WebClient.create(server.vertx(), new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(config.httpPort()));
    ((WebClientInternal) client).addInterceptor(new ContractCheckingInterceptor(server.vertx(), ApiContract.get()));
  }

  /** The token {@code /metrics} takes on test servers. */
  public static final String METRICS_TOKEN = "test-metrics-token-of-sufficient-length";

  public static TestServer start() {
    return start(Map.of());
  }

  /** Starts a server; {@code overrides} are configuration keys as in {@code conf/servicepunkt.json}. */
  public static TestServer start(Map<String, Object> overrides) {
    return new TestServer(config(TestDatabase.fresh(), overrides), java.time.Clock.systemUTC());
  }

  /** Starts a server whose business clock is {@code clock}. */
  public static TestServer start(Map<String, Object> overrides, java.time.Clock clock) {
    return new TestServer(config(TestDatabase.fresh(), overrides), clock);
  }

  /** A server on an existing database (e.g. one a closed server used). */
  public static TestServer on(String dbUrl, Map<String, Object> overrides, java.time.Clock clock) {
    return new TestServer(config(dbUrl, overrides), clock);
  }

  /** A second server on the same database as this one. */
  public TestServer another(Map<String, Object> overrides) {
    return new TestServer(config(config.dbUrl(), overrides), clock);
  }

  public static AppConfig config(String dbUrl, Map<String, Object> overrides) {
    JsonObject json = ConfigLoader.defaults()
        .put("httpPort", freePort())
        .put("httpInstances", 1)
        .put("dbUrl", dbUrl)
        .put("dbPoolSize", 4)
        .put("jwtSecret", JWT_SECRET)
        .put("passwordCost", 4)
        // every test client comes from 127.0.0.1; the per-address limit has tests of its own
        .put("residentWritesPerMinute", 1_000_000)
        .put("bookingsPerEmailPerHour", 1_000_000)
        .put("activeBookingsPerEmail", 1_000_000)
        // race tests send dozens of requests at once on a loaded machine; the door's queueing
        // judgement has its own test (RequestLimitTest), and benchmarks measure the paths behind it
        .put("admissionTargetMs", 60_000)
        .put("metricsToken", METRICS_TOKEN)
        .put("adminEmail", SYSADMIN_EMAIL)
        .put("adminPassword", PASSWORD);
    overrides.forEach(json::put);
    return AppConfig.from(json);
  }

  public static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public AppConfig config() {
    return config;
  }

  public Pool pool() {
    return server.pool();
  }

  public se.servicepunkt.AppContext app() {
    return server.app();
  }

  public io.vertx.core.Vertx vertx() {
    return server.vertx();
  }

  /**
   * Opens a server-sent events stream on this server; its status, content type and (for a
   * refused stream) body are checked against {@code openapi.yaml}.
   */
  public SseClient stream(String path, Map<String, String> headers) {
    var sse = SseClient.connect(server.vertx(), port(), path, headers);
    var sent = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(headers).add("Accept", "text/event-stream");
    var exchange = new Exchange(HttpMethod.GET, path, sent, null, sse.status(), sse.headers(),
        sse.status() == 200 ? null : Buffer.buffer(sse.body()));
    try {
      ApiContract.get().check(server.vertx(), exchange).await();
    } catch (ContractViolation e) {
      sse.close();
      throw e;
    }
    return sse;
  }

  public SseClient stream(String path) {
    return stream(path, Map.of());
  }

  /**
   * The HTTP client of this server; every answer it receives is checked against
   * {@code openapi.yaml} (see {@link ApiContract}).
   */
  public WebClient client() {
    return client;
  }

  public int port() {
    return config.httpPort();
  }

  /** Sends a request; {@code body} may be null, a JsonObject, a JsonArray or a raw string. */
  public HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
    var request = client.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (body == null) {
      return request.send().await();
    }
    Buffer buffer = body instanceof Buffer b ? b : Buffer.buffer(body instanceof JsonObject o ? o.encode()
        : body instanceof JsonArray a ? a.encode() : body.toString());
    request.putHeader("Content-Type", "application/json");
    return request.sendBuffer(buffer).await();
  }

  public HttpResponse<Buffer> get(String path) {
    return call(HttpMethod.GET, path, null, null);
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  public HttpResponse<Buffer> post(String path, String token, Object body) {
    return call(HttpMethod.POST, path, token, body);
  }

  public HttpResponse<Buffer> put(String path, String token, Object body) {
    return call(HttpMethod.PUT, path, token, body);
  }

  public HttpResponse<Buffer> delete(String path, String token) {
    return call(HttpMethod.DELETE, path, token, null);
  }

  /** Signs in and returns the access token; fails the test on anything but 200. */
  public String signIn(String email, String password) {
    var response = post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password));
    if (response.statusCode() != 200) {
      throw new AssertionError("sign-in of " + email + " answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("accessToken");
  }

  public String sysadminToken() {
    return signIn(SYSADMIN_EMAIL, PASSWORD);
  }

  /** Runs one SQL statement directly, for fixtures and checks. */
  public io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> sql(String sql, Object... params) {
    return pool().preparedQuery(sql).execute(Tuple.from(params)).await();
  }

  @Override
  public void close() {
    server.close();
  }

  /** Convenience: the TestDatabase server's own URL for a given test database. */
  public String dbUrl() {
    return config.dbUrl();
  }
}
