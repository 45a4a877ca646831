package se.servicepunkt.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * API requests' times as the loopback saw them: from the kernel's timestamp of a request's first
 * packet (the client's request line on its way to nginx) to that of the answer's first packet on
 * the same connection (nginx's status line on its way back). Read from a capture that
 * {@code tcpdump} makes of the client's side of nginx, with a filter that keeps only packets
 * starting with a request line or a status line (see {@link #FILTER}), so the capture stays small
 * and costs the machine little however many stream frames pass.
 *
 * <p>Neither the client's event loops nor its garbage collector are in these times: when the
 * client shares the server's cores and runs late, its own clock counts the time it took to notice
 * an answer that had long arrived. The kernel stamps each packet as it passes, so this is what a
 * client with cores of its own would see of nginx and the instances.
 */
final class WireTimings {
  /** The tcpdump filter (after {@code tcp port N and}): packets whose payload starts with "HTTP", "GET ", "POST", "PUT ", "DELE" or "PATC". */
  static final String FILTER = "(tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x48545450"
      + " or tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420 or tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x504f5354"
      + " or tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x50555420 or tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x44454c45"
      + " or tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x50415443)";

  /** One answered API request: when its first packet passed (µs since the epoch), its request line, status and time to the answer (µs). */
  record Exchange(long sentMicros, String request, int status, long micros) {
    boolean refused() {
      return status == 503 || status == 429;
    }
  }

  private WireTimings() {
  }

  /** A part of the run, named for the report: requests sent in {@code [fromMillis, toMillis)} (ms since the epoch). */
  record Window(String name, long fromMillis, long toMillis) {
  }

  /** Without arguments prints {@link #FILTER} (for system.sh); with a capture and nginx's port, its refusals and answers. */
  public static void main(String[] args) {
    if (args.length == 0) {
      System.out.println(FILTER);
    } else {
      System.out.print(refusals(Path.of(args[0]), Integer.parseInt(args[1]),
          List.of(new Window("whole capture", 0, Long.MAX_VALUE / 1000))));
    }
  }

  /**
   * Per window, the refusals of API requests (event streams aside) and all their answers, as the
   * loopback timed them; the capture is read once. Empty when there is no capture.
   */
  static String refusals(Path capture, int nginxPort, List<Window> windows) {
    if (!Files.exists(capture)) {
      return "";
    }
    List<Exchange> exchanges;
    try {
      exchanges = read(capture, nginxPort);
    } catch (IOException e) {
      return "the capture could not be read: " + e.getMessage() + "\n";
    }
    var out = new StringBuilder();
    for (Window window : windows) {
      var in = exchanges.stream().filter(e -> e.sentMicros() >= window.fromMillis() * 1000
          && e.sentMicros() < window.toMillis() * 1000 && !e.request().contains("/events")).toList();
      long[] refused = in.stream().filter(Exchange::refused).mapToLong(Exchange::micros).sorted().toArray();
      long[] all = in.stream().mapToLong(Exchange::micros).sorted().toArray();
      out.append(String.format("%s, refusals on the wire (tcpdump, request's first packet → answer's first packet): %d,"
              + " p50 %.1f, p95 %.1f, p99 %.1f, max %.1f ms; all %d answers: p50 %.1f, p99 %.1f ms%n", window.name(),
          refused.length, q(refused, 0.5), q(refused, 0.95), q(refused, 0.99), q(refused, 1.0), all.length, q(all, 0.5),
          q(all, 0.99)));
    }
    return out.toString();
  }

  /** Each request with its answer, in the order the answers passed. */
  static List<Exchange> read(Path capture, int nginxPort) throws IOException {
    var exchanges = new ArrayList<Exchange>();
    Map<Integer, Sent> sent = new HashMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(capture), 1 << 16);
         var in = new DataInputStream(raw)) {
      byte[] header = new byte[24];
      in.readFully(header);
      ByteBuffer global = ByteBuffer.wrap(header);
      int magic = global.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      ByteOrder order;
      boolean nanos;
      if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
        order = ByteOrder.LITTLE_ENDIAN;
        nanos = magic == 0xa1b23c4d;
      } else {
        order = ByteOrder.BIG_ENDIAN;
        int big = global.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (big != 0xa1b2c3d4 && big != 0xa1b23c4d) {
          throw new IOException("not a pcap file");
        }
        nanos = big == 0xa1b23c4d;
      }
      int linkType = global.order(order).getInt(20);
      int linkHeader = switch (linkType) {
        case 1 -> 14; // Ethernet, as tcpdump gives for Linux's loopback
        case 0 -> 4; // BSD loopback
        case 113 -> 16; // Linux cooked capture (-i any)
        case 101 -> 0; // raw IP
        default -> throw new IOException("link type " + linkType + " not read here");
      };
      byte[] record = new byte[16];
      while (true) {
        try {
          in.readFully(record);
        } catch (EOFException end) {
          break;
        }
        ByteBuffer r = ByteBuffer.wrap(record).order(order);
        long seconds = Integer.toUnsignedLong(r.getInt(0));
        long fraction = Integer.toUnsignedLong(r.getInt(4));
        int length = r.getInt(8);
        byte[] packet = new byte[length];
        try {
          in.readFully(packet);
        } catch (EOFException truncated) {
          break; // the capture was still being written
        }
        long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
        packet(packet, linkHeader, micros, nginxPort, sent, exchanges);
      }
    }
    return exchanges;
  }

  /** A request waiting for its answer on its connection (keyed by the client's port): when it passed, its request line. */
  private record Sent(long micros, String line) {
  }

  private static void packet(byte[] p, int at, long micros, int nginxPort, Map<Integer, Sent> sent,
                             List<Exchange> exchanges) {
    if (p.length < at + 20 || (p[at] >> 4 & 0xf) != 4 || p[at + 9] != 6) {
      return; // IPv4 and TCP only: the harness runs on 127.0.0.1
    }
    int ipHeader = (p[at] & 0xf) * 4;
    int tcp = at + ipHeader;
    if (p.length < tcp + 20) {
      return;
    }
    int source = (p[tcp] & 0xff) << 8 | p[tcp + 1] & 0xff;
    int target = (p[tcp + 2] & 0xff) << 8 | p[tcp + 3] & 0xff;
    int payload = tcp + ((p[tcp + 12] & 0xf0) >> 4) * 4;
    if (payload >= p.length) {
      return;
    }
    String start = new String(p, payload, Math.min(p.length - payload, 200), StandardCharsets.ISO_8859_1);
    if (target == nginxPort && !start.startsWith("HTTP")) {
      int end = start.indexOf('\r');
      sent.put(source, new Sent(micros, end > 0 ? start.substring(0, end) : start));
    } else if (source == nginxPort && start.startsWith("HTTP/1.") && start.length() >= 12) {
      Sent request = sent.remove(target);
      if (request != null) {
        int status = Integer.parseInt(start.substring(9, 12));
        exchanges.add(new Exchange(request.micros(), request.line(), status, micros - request.micros()));
      }
    }
  }

  private static double q(long[] sorted, double quantile) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
  }
}
