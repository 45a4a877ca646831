package se.servicepunkt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.SseClient;
import se.servicepunkt.testing.TestServer;

/** The SSE writer on a real HTTP server: framing, heartbeats, and slow readers dropped. */
class SseStreamTest {

  @Test
  void framesFollowTheEventStreamFormatWithMultiLineData() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.get("/events").handler(ctx -> {
        var sse = SseStream.open(ctx, 1);
        sse.send(7, "greeting", "line one\nline two");
        sse.send(8, "greeting", "{\"json\":true}");
      });
      int port = TestServer.freePort();
      vertx.createHttpServer().requestHandler(router).listen(port).await();
      try (var client = SseClient.connect(vertx, port, "/events")) {
        assertEquals("text/event-stream; charset=utf-8", client.contentType());
        var first = client.next();
        assertEquals("7", first.id());
        assertEquals("greeting", first.event());
        assertEquals("line one\nline two", first.data());
        assertEquals("{\"json\":true}", client.next().data());
        assertTrue(client.retry() >= 2_000 && client.retry() <= 5_000, "a jittered retry hint: " + client.retry());
        client.drain(java.time.Duration.ofMillis(1500));
        assertTrue(client.comments().contains("heartbeat"));
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedNotBufferedWithoutLimit() throws Exception {
    Vertx vertx = Vertx.vertx();
    var dropped = new CompletableFuture<Long>();
    var written = new AtomicLong();
    String chunk = "x".repeat(64 * 1024);
    try {
      Router router = Router.router(vertx);
      router.get("/events").handler(ctx -> {
        var sse = SseStream.open(ctx, 15);
        sse.onClose(() -> dropped.complete(written.get()));
        vertx.setPeriodic(1, id -> {
          if (sse.send(written.get(), "big", chunk)) {
            written.addAndGet(chunk.length());
          } else {
            vertx.cancelTimer(id);
          }
        });
      });
      int port = TestServer.freePort();
      vertx.createHttpServer().requestHandler(router).listen(port).await();
      try (var socket = new Socket()) {
        socket.setReceiveBufferSize(1024);
        socket.connect(new java.net.InetSocketAddress("localhost", port));
        OutputStream out = socket.getOutputStream();
        out.write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long bytes = dropped.get(30, TimeUnit.SECONDS); // the client never reads
        assertTrue(bytes < 64L * 1024 * 1024, "dropped after " + bytes + " bytes, not buffered without limit");
      }
    } finally {
      vertx.close().await();
    }
  }
}
