package io.greenlight.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.catalina.util.NetMask;

/**
 * Who sent a request, as far as limits per client go: the connection's address, or, when the connection comes from one
 * of {@code greenlight.web.trusted-proxies}, the address those proxies appended to {@code X-Forwarded-For} (read from
 * the right: the nearest address that is not itself a trusted proxy). Anyone else's {@code X-Forwarded-For} is not
 * believed: a client cannot make itself many clients by writing the header.
 *
 * <p>Tomcat's RemoteIpValve ({@code server.forward-headers-strategy: native}) would do this walk, but it takes proxies
 * as a regular expression over the address as text, which cannot say a CIDR of IPv6 (one address has many spellings
 * in a header), and it would also change the scheme, host and address every part of the application sees; this
 * answers one question, for the limits only (greenlight.web.trusted-proxies, docs/deployment.md). Tomcat's {@link NetMask} does the CIDR matching.
 *
 * <p>An IPv6 client is its /64: one subscriber usually holds a whole /64, so counting single addresses would let one
 * client be 2^64 clients.
 */
final class ClientAddresses {

  private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
      + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
  /** Hex digits and colons (and a dotted IPv4 tail): Java parses these without asking DNS. */
  private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$");

  private final List<NetMask> trustedProxies;

  ClientAddresses(List<String> trustedProxyCidrs) {
    List<NetMask> masks = new ArrayList<>();
    for (String cidr : trustedProxyCidrs) {
      try {
        masks.add(new NetMask(cidr.trim()));
      } catch (IllegalArgumentException invalid) {
        throw new IllegalArgumentException("greenlight.web.trusted-proxies: '" + cidr + "' is not an address or CIDR ("
            + invalid.getMessage() + ")", invalid);
      }
    }
    this.trustedProxies = List.copyOf(masks);
  }

  /** The client a request counts against: an IPv4 address, or an IPv6 /64 (e.g. {@code 2001:db8:0:1::/64}). */
  String clientOf(HttpServletRequest request) {
    InetAddress connection = literal(request.getRemoteAddr()).orElse(null);
    if (connection == null) {
      return request.getRemoteAddr();
    }
    InetAddress client = connection;
    if (isTrustedProxy(connection)) {
      List<String> forwarded = forwardedFor(request);
      for (int i = forwarded.size() - 1; i >= 0; i--) {
        Optional<InetAddress> hop = literal(forwarded.get(i));
        if (hop.isEmpty()) {
          // Not an address: nothing left of it can be believed, and the last trusted hop stands for the client.
          break;
        }
        client = hop.get();
        if (!isTrustedProxy(client)) {
          break;
        }
      }
    }
    return key(client);
  }

  private boolean isTrustedProxy(InetAddress address) {
    return trustedProxies.stream().anyMatch(proxy -> proxy.matches(address));
  }

  /** Every X-Forwarded-For header's addresses, in order: each proxy appended the one it was connected to. */
  private static List<String> forwardedFor(HttpServletRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    return hops;
  }

  private static String key(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] prefix = address.getAddress();
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      key.append(Integer.toHexString(((prefix[i] & 0xff) << 8) | (prefix[i + 1] & 0xff))).append(':');
    }
    return key.append(":/64").toString();
  }

  /** The address a text spells, without a DNS lookup: anything but an IP literal is empty. */
  static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    int scope = address.indexOf('%');
    address = scope >= 0 ? address.substring(0, scope) : address;
    if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address));
    } catch (UnknownHostException | IllegalArgumentException notAnAddress) {
      return Optional.empty();
    }
  }
}
