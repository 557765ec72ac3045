package io.greenlight.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * The request with its body already received: read from memory, and a form's parameters parsed from it. Tomcat parses
 * form parameters only from its own input buffer, which {@link RequestBodyGuard} has read already; the parsing here
 * does what Tomcat's does (query string first, a broken %-escape drops its pair only).
 */
final class ReceivedBodyRequest extends HttpServletRequestWrapper {
  private final byte[] body;
  private Map<String, String[]> parameters;

  ReceivedBodyRequest(HttpServletRequest request, byte[] body) {
    super(request);
    this.body = body;
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override public boolean isFinished() { return in.available() == 0; }
      @Override public boolean isReady() { return true; }
      @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
      @Override public int read() { return in.read(); }
      @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
    };
  }

  @Override
  public BufferedReader getReader() {
    return new BufferedReader(new InputStreamReader(getInputStream(), charset()));
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public String getParameter(String name) {
    String[] values = getParameterMap().get(name);
    return values == null || values.length == 0 ? null : values[0];
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(getParameterMap().keySet());
  }

  @Override
  public String[] getParameterValues(String name) {
    return getParameterMap().get(name);
  }

  /** The query string's parameters (the container's), then a form body's. */
  @Override
  public Map<String, String[]> getParameterMap() {
    if (parameters == null) {
      Map<String, List<String>> merged = new LinkedHashMap<>();
      super.getParameterMap().forEach((name, values) -> merged.computeIfAbsent(name, n -> new ArrayList<>())
          .addAll(List.of(values)));
      if (isForm()) {
        for (String pair : new String(body, charset()).split("&")) {
          int equals = pair.indexOf('=');
          try {
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!name.isEmpty()) {
              merged.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
          } catch (IllegalArgumentException malformed) {
            // a broken %-escape: the pair is left out, as the container itself does
          }
        }
      }
      Map<String, String[]> result = new LinkedHashMap<>();
      merged.forEach((name, values) -> result.put(name, values.toArray(String[]::new)));
      parameters = Collections.unmodifiableMap(result);
    }
    return parameters;
  }

  private boolean isForm() {
    String type = getContentType();
    return type != null && type.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
  }

  private String decode(String text) {
    return URLDecoder.decode(text, charset());
  }

  private Charset charset() {
    String encoding = getCharacterEncoding();
    try {
      return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    } catch (IllegalArgumentException unknown) {
      return StandardCharsets.UTF_8;
    }
  }
}
