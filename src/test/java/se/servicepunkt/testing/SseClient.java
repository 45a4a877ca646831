package se.servicepunkt.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's server-sent events client: reads {@code text/event-stream} as it arrives and parses
 * it per the HTML spec (id, event, data lines; comments; retry), so tests wait for events with a
 * timeout instead of sleeping.
 */
public final class SseClient implements AutoCloseable {
  /** One event as received. */
  public record Event(String id, String event, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }

    public long idNumber() {
      return Long.parseLong(id);
    }
  }

  private static final String SUMMARY = "waiting";
  private final HttpClient client;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** The waiting summaries (frames without an id beside the point's events), apart: {@code next("waiting")} reads them. */
  private final BlockingQueue<Event> summaries = new LinkedBlockingQueue<>();
  private final List<String> comments = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final StringBuilder buffer = new StringBuilder();
  private volatile int status;
  private volatile String contentType;
  private volatile io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
  private volatile Long retry;
  private volatile boolean ended;
  private volatile String body = "";

  private SseClient(Vertx vertx) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost"));
  }

  /** Connects and waits for the response headers. */
  public static SseClient connect(Vertx vertx, int port, String path, Map<String, String> headers) {
    return connect(vertx, port, path, headers, () -> { });
  }

  /**
   * As {@link #connect(Vertx, int, String, Map)}; {@code stall} runs on the calling thread once the
   * exchange has begun, where a loaded machine may deschedule it (tests of this class stall there).
   *
   * <p>The response's handlers are attached on the request's own event loop, in the task that sends
   * it, never later from the calling thread: a refusal (401, 403) comes back within a millisecond,
   * headers, body and end together, and when the calling thread attached them only after that, the
   * body had been dropped unread, {@code body()} never completed, and the stream "could not connect".
   */
  static SseClient connect(Vertx vertx, int port, String path, Map<String, String> headers, Runnable stall) {
    var sse = new SseClient(vertx);
    var answered = new java.util.concurrent.CompletableFuture<Void>();
    sse.client.request(HttpMethod.GET, port, "localhost", path).onComplete(created -> {
      if (created.failed()) {
        answered.completeExceptionally(created.cause());
        return;
      }
      var request = created.result();
      headers.forEach(request::putHeader);
      request.putHeader("Accept", "text/event-stream");
      request.send().onComplete(sent -> {
        if (sent.failed()) {
          answered.completeExceptionally(sent.cause());
          return;
        }
        var response = sent.result();
        sse.status = response.statusCode();
        sse.contentType = response.getHeader("Content-Type");
        sse.headers = response.headers();
        if (sse.status != 200) {
          // A refused stream: its whole body (a problem) is there when connect returns.
          response.body().onComplete(body -> {
            sse.body = body.succeeded() ? body.result().toString() : "";
            sse.ended = true;
            answered.complete(null);
          });
          return;
        }
        response.handler(chunk -> sse.received(chunk.toString()));
        response.endHandler(v -> sse.ended = true);
        response.exceptionHandler(e -> sse.ended = true);
        answered.complete(null);
      });
    });
    stall.run();
    try {
      answered.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not connect to " + path, e);
    }
    return sse;
  }

  public static SseClient connect(Vertx vertx, int port, String path) {
    return connect(vertx, port, path, Map.of());
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** The response headers. */
  public io.vertx.core.MultiMap headers() {
    return headers;
  }

  public Long retry() {
    return retry;
  }

  public List<String> comments() {
    return comments;
  }

  public boolean ended() {
    return ended;
  }

  /** For a refused stream: the whole body (a problem+json document), received before connect returns. */
  public String body() {
    return body;
  }

  /** The next event, or an AssertionError after {@code timeout}. */
  public Event next(Duration timeout) {
    return next(events, timeout);
  }

  private Event next(BlockingQueue<Event> queue, Duration timeout) {
    try {
      Event event = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + timeout + " (status " + status + ", ended " + ended
            + (body.isEmpty() ? "" : ", body " + body) + ")");
      }
      return event;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  public Event next() {
    return next(Duration.ofSeconds(10));
  }

  /** The next event of this type, skipping others; for {@code waiting}, the next waiting summary. */
  public Event next(String type) {
    if (type.equals(SUMMARY)) {
      return next(summaries, Duration.ofSeconds(10));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (event.event().equals(type)) {
        return event;
      }
    }
  }

  /** Every event that arrives until none has arrived for {@code quiet}. */
  public List<Event> drain(Duration quiet) {
    var list = new ArrayList<Event>();
    try {
      Event event;
      while ((event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        list.add(event);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return list;
  }

  private synchronized void received(String text) {
    if (status != 200) {
      body += text;
      return;
    }
    buffer.append(text.replace("\r\n", "\n"));
    int end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      String block = buffer.substring(0, end);
      buffer.delete(0, end + 2);
      parse(block);
    }
  }

  private void parse(String block) {
    String id = null;
    String type = "message";
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith(":")) {
        comments.add(line.substring(1).trim());
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      switch (field) {
        case "id" -> id = value;
        case "event" -> type = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "retry" -> retry = Long.parseLong(value);
        default -> { }
      }
    }
    if (data != null) {
      (id == null && type.equals(SUMMARY) ? summaries : events).add(new Event(id, type, data.toString()));
    }
  }

  @Override
  public void close() {
    client.close().await();
  }
}
