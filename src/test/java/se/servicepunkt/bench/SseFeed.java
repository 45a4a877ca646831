package se.servicepunkt.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event stream followed as a browser's EventSource would: a GET through nginx reading
 * {@code text/event-stream}, each frame handed to a {@link Listener}; when the stream ends or
 * fails it connects again after about a second with {@code Last-Event-ID} set to the last id it
 * received, until it is {@link #close() closed}.
 */
final class SseFeed {
  /** What happens on a stream. */
  interface Listener {
    /** A frame arrived: its id (-1 when it had none), its event name and data. */
    void frame(SseFeed feed, long id, String event, String data, long nanos);

    /** The stream ended or failed (not by {@link #close()}); it will connect again. */
    default void dropped(SseFeed feed, long nanos) {
    }

    /** An attempt to connect was answered with something else than 200. */
    default void refused(SseFeed feed, int status) {
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final String uri;
  private final String bearer;
  private final Listener listener;
  private final StringBuilder text = new StringBuilder();
  private HttpClientRequest request;
  private long lastId = -1;
  private boolean closed;
  private boolean connected;
  final long openedAt = System.nanoTime();
  int connections;

  SseFeed(Vertx vertx, HttpClient http, String uri, String bearer, Listener listener) {
    this.vertx = vertx;
    this.http = http;
    this.uri = uri;
    this.bearer = bearer;
    this.listener = listener;
  }

  SseFeed open() {
    var options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri).putHeader("Accept", "text/event-stream");
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
    if (lastId >= 0) {
      options.putHeader("Last-Event-ID", Long.toString(lastId));
    }
    connections++;
    http.request(options).compose(req -> {
      synchronized (this) {
        request = req;
      }
      return req.send();
    }).onComplete(result -> {
      if (result.failed()) {
        again();
        return;
      }
      var response = result.result();
      if (response.statusCode() != 200) {
        listener.refused(this, response.statusCode());
        response.body().onComplete(x -> again());
        return;
      }
      connected = true;
      text.setLength(0);
      response.handler(this::received);
      response.exceptionHandler(e -> ended());
      response.endHandler(v -> ended());
    });
    return this;
  }

  long lastId() {
    return lastId;
  }

  synchronized void close() {
    closed = true;
    if (request != null) {
      request.reset();
    }
  }

  private void ended() {
    if (connected) {
      connected = false;
      if (!closed) {
        listener.dropped(this, System.nanoTime());
      }
      again();
    }
  }

  private void again() {
    if (!closed) {
      vertx.setTimer(1_000 + ThreadLocalRandom.current().nextInt(1_000), t -> {
        if (!closed) {
          open();
        }
      });
    }
  }

  private void received(Buffer chunk) {
    long now = System.nanoTime();
    text.append(chunk.toString());
    int start = 0;
    int end;
    while ((end = text.indexOf("\n\n", start)) >= 0) {
      frame(text.substring(start, end), now);
      start = end + 2;
    }
    text.delete(0, start);
  }

  private void frame(String frame, long now) {
    long id = -1;
    String event = null;
    StringBuilder data = null;
    for (String line : frame.split("\n")) {
      if (line.startsWith("id: ")) {
        id = Long.parseLong(line.substring(4).trim());
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line, 6, line.length());
      }
    }
    if (event == null && data == null) {
      return; // the retry hint, a comment or a heartbeat
    }
    if (id >= 0) {
      lastId = id;
    }
    if (!closed) {
      listener.frame(this, id, event == null ? "message" : event, data == null ? "" : data.toString(), now);
    }
  }
}
