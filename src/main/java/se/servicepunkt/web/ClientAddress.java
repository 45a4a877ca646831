package se.servicepunkt.web;

import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address a request comes from: the direct peer, unless the peer is one of the configured
 * {@code trustedProxies} (nginx in front of the server), in which case the last address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. A client cannot choose its address
 * by sending the header directly: from any other peer the header is ignored.
 */
public final class ClientAddress {
  private static final String IP_LITERAL = "[0-9a-fA-F:.]{2,45}";
  private final Set<InetAddress> trusted;

  public ClientAddress(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(ClientAddress::parse).filter(a -> a != null).collect(Collectors.toSet());
  }

  public String of(RoutingContext ctx) {
    var peer = ctx.request().remoteAddress();
    String address = peer == null ? "unknown" : peer.hostAddress();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null || !isTrusted(address)) {
      return address;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !isTrusted(hop)) {
        return hop.length() > 45 ? hop.substring(0, 45) : hop;
      }
    }
    return address;
  }

  private boolean isTrusted(String address) {
    InetAddress parsed = parse(address);
    return parsed != null && trusted.contains(parsed);
  }

  /** An IP literal as an address (no name lookup ever), or null for anything else. */
  private static InetAddress parse(String text) {
    if (text == null || !text.matches(IP_LITERAL) || !text.matches(".*[.:].*")) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
