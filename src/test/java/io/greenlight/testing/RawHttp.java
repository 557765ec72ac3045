package io.greenlight.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request on a connection of its own, from a chosen loopback address (127.0.0.2, say): how the tests play a
 * client other than themselves, which Java's HttpClient cannot (it picks no source address). Loopback only.
 */
public final class RawHttp {

  public record Response(int status, String body) {}

  private RawHttp() {}

  public static Response post(String fromAddress, int port, String path, Map<String, String> headers, String body)
      throws IOException {
    InetAddress from = InetAddress.getByName(fromAddress);
    if (!from.isLoopbackAddress()) {
      throw new IllegalArgumentException("Tests send only from loopback addresses");
    }
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(60_000);
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
          + "Content-Length: " + content.length + "\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      OutputStream out = socket.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      in.transferTo(received);
      String text = received.toString(StandardCharsets.UTF_8);
      int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
      int split = text.indexOf("\r\n\r\n");
      return new Response(status, split < 0 ? "" : text.substring(split + 4));
    }
  }
}
