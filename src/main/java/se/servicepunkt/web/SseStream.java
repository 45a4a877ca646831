package se.servicepunkt.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * A server-sent events response ({@code text/event-stream}): a {@code retry:} hint first (2–5 s,
 * jittered per stream), then
 * events with {@code id:}, {@code event:} and {@code data:} lines, and a comment line as a
 * heartbeat every so often so that clients and proxies see the stream is alive (and, where asked,
 * a named {@code heartbeat} event too, for pages' scripts). A client that
 * stops reading is dropped once its write queue is full, not buffered without limit.
 */
public final class SseStream {
  /** Bytes waiting for a slow reader before it is dropped. */
  static final int MAX_QUEUED_BYTES = 256 * 1024;
  /**
   * The reconnection delay each stream suggests, drawn per stream between these bounds, so that
   * thousands of screens dropped at once (a restart) do not all come back in the same instant.
   */
  static final long RETRY_MIN_MILLIS = 2_000;
  static final long RETRY_MAX_MILLIS = 5_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final long heartbeatTimer;
  private final java.util.List<Runnable> onClose = new java.util.ArrayList<>();
  private boolean closed;
  private boolean namedHeartbeats;

  private SseStream(Vertx vertx, HttpServerResponse response, long heartbeatMillis) {
    this.vertx = vertx;
    this.response = response;
    this.heartbeatTimer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
  }

  /** Starts the response: headers, the retry hint, and a first comment so that the headers go out now. */
  public static SseStream open(RoutingContext ctx, int heartbeatSeconds) {
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    var stream = new SseStream(ctx.vertx(), response, heartbeatSeconds * 1000L);
    response.closeHandler(v -> stream.closed());
    response.exceptionHandler(e -> stream.close());
    if (response.closed()) {
      stream.closed(); // the client left before the stream began: no close event will come
    }
    long retry = java.util.concurrent.ThreadLocalRandom.current().nextLong(RETRY_MIN_MILLIS, RETRY_MAX_MILLIS + 1);
    response.write(Buffer.buffer("retry: " + retry + "\n: connected\n\n"));
    return stream;
  }

  /** Adds something to do once the client has gone (or was dropped); at once if it already has. */
  public SseStream onClose(Runnable action) {
    if (closed) {
      action.run();
    } else {
      onClose.add(action);
    }
    return this;
  }

  /** One event as a frame to {@link #write}; {@code data} may span lines; null data gives null. */
  public static Buffer frame(long id, String event, String data) {
    if (data == null) {
      return null;
    }
    return Buffer.buffer(withData(new StringBuilder(data.length() + 48).append("id: ").append(id).append('\n'), event, data));
  }

  /** A frame without {@code id:} (a client's last event id stays), for what is not an event of the point's table. */
  public static Buffer unnumbered(String event, String data) {
    return Buffer.buffer(withData(new StringBuilder(data.length() + 32), event, data));
  }

  private static String withData(StringBuilder frame, String event, String data) {
    frame.append("event: ").append(event).append('\n');
    for (String line : data.split("\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return frame.append('\n').toString();
  }

  /** Sends one event. Returns false when the stream is closed or was dropped. */
  public boolean send(long id, String event, String data) {
    return write(frame(id, event, data));
  }

  /**
   * Also sends each heartbeat as a named {@code heartbeat} event (no {@code id:}, so a client's
   * last event id stays), which a page's script can see: browsers never hand comments to scripts.
   * Clients that do not listen for it never see it.
   */
  public SseStream namedHeartbeats() {
    this.namedHeartbeats = true;
    return this;
  }

  private static final Buffer HEARTBEAT_EVENT = Buffer.buffer(": heartbeat\n\nevent: heartbeat\ndata: {}\n\n");

  /**
   * Sends the named heartbeat only while {@code live} says the stream's feed is live: an instance
   * that cannot read its events stops telling pages it is alive (the comment still keeps the
   * connection open), so a screen marks itself stale instead of looking live while it is not.
   */
  public SseStream heartbeatWhile(java.util.function.BooleanSupplier live) {
    this.live = live;
    return this;
  }

  private java.util.function.BooleanSupplier live = () -> true;

  private void heartbeat() {
    if (namedHeartbeats && live.getAsBoolean()) {
      write(HEARTBEAT_EVENT);
    } else {
      comment("heartbeat");
    }
  }

  public boolean comment(String text) {
    return write(Buffer.buffer(": " + text + "\n\n"));
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Sends a last event (without {@code id:}, so a client's last event id stays) and ends the
   * response: for a stream the server ends on purpose, telling the client why.
   */
  public void end(String event, String data) {
    if (closed) {
      return;
    }
    if (!response.writeQueueFull()) {
      response.write(Buffer.buffer("event: " + event + "\ndata: " + data + "\n\n"));
    }
    closed();
    response.end();
  }

  /** Ends the response and forgets the client. */
  public void close() {
    if (!closed) {
      closed();
      response.reset();
    }
  }

  /** Writes a frame (possibly shared with other streams). */
  public boolean write(Buffer frame) {
    if (closed || frame == null) {
      return false;
    }
    if (response.writeQueueFull()) {
      close();
      return false;
    }
    response.write(frame);
    return true;
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(heartbeatTimer);
    onClose.forEach(Runnable::run);
    onClose.clear();
  }
}
