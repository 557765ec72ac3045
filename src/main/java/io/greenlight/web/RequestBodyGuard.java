package io.greenlight.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request body is received here, whole, before anything else reads it: within a size that fits its path (413
 * otherwise, whether or not it declares its length), within {@code body-read-timeout} (408), and only so many at once
 * (503 at once beyond that). A client that trickles a body a byte at a time, or many that send large ones, then hold a
 * few of the server's threads and a bounded share of the heap for a bounded time, never all of them: health checks,
 * answers and pipelines keep being served. Forms are parsed from the received body, so the rest of the application
 * reads their parameters as usual.
 */
public class RequestBodyGuard extends OncePerRequestFilter {

  /** Where Camunda Modeler and Cockpit deploy models: the one place a larger body belongs. */
  private static final Pattern DEPLOYMENT =
      Pattern.compile("^/(engine-rest(/engine/[^/]+)?|camunda/api/engine/engine/[^/]+)/deployment/create/?$");
  private static final Pattern ENGINE = Pattern.compile("^/(engine-rest|camunda/api)(/.*)?$");
  /** GitHub's webhook payloads carry the whole repository and any pull requests: larger than Greenlight's own bodies. */
  private static final Pattern GITHUB_WEBHOOK = Pattern.compile("^/github/webhook/?$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebProperties settings;
  private final Semaphore bodyReads;
  private final Semaphore largeBodyReads;

  public RequestBodyGuard(WebProperties settings) {
    this.settings = settings;
    this.bodyReads = new Semaphore(settings.maxConcurrentBodyReads());
    this.largeBodyReads = new Semaphore(settings.maxConcurrentLargeBodyReads());
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // The path as the container mapped it (decoded and normalised), not as the client spelled it.
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    long limit = limitFor(path);
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      refuse(response, 413, "payload_too_large", "Request bodies here are limited to " + describe(limit) + ".");
      return;
    }
    boolean large = declared < 0 ? limit > settings.maxBodySize().toBytes() : declared > settings.maxBodySize().toBytes();
    Semaphore permits = large ? largeBodyReads : bodyReads;
    if (!permits.tryAcquire()) {
      response.setHeader("Retry-After", "2");
      refuse(response, 503, "busy", "Too many request bodies are being received right now; try again in a moment.");
      return;
    }
    byte[] body;
    try {
      body = readWhole(request.getInputStream(), limit, System.nanoTime() + settings.bodyReadTimeout().toNanos());
    } catch (TooLarge tooLarge) {
      refuse(response, 413, "payload_too_large", "Request bodies here are limited to " + describe(limit) + ".");
      return;
    } catch (IOException slowOrGone) {
      refuse(response, 408, "request_timeout", "The request body did not arrive within "
          + settings.bodyReadTimeout().toSeconds() + " s.");
      return;
    } finally {
      permits.release();
    }
    chain.doFilter(new ReceivedBodyRequest(request, body), response);
  }

  long limitFor(String path) {
    if (DEPLOYMENT.matcher(path).matches()) {
      return settings.maxDeploymentSize().toBytes();
    }
    if (ENGINE.matcher(path).matches() || GITHUB_WEBHOOK.matcher(path).matches()) {
      return settings.maxEngineBodySize().toBytes();
    }
    return settings.maxBodySize().toBytes();
  }

  /** The body, read until its end, refused once it passes {@code limit} bytes or the deadline. */
  private static byte[] readWhole(InputStream in, long limit, long deadlineNanos) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int read;
    // Each read waits at most the connector's read timeout (server.tomcat.connection-timeout) for the next bytes.
    while ((read = in.read(chunk)) != -1) {
      body.write(chunk, 0, read);
      if (body.size() > limit) {
        throw new TooLarge();
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new TooSlow();
      }
    }
    return body.toByteArray();
  }

  private static String describe(long bytes) {
    return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
  }

  private static void refuse(HttpServletResponse response, int status, String error, String message) throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    // The rest of the body is not waited for: the connection closes after this answer.
    response.setHeader("Connection", "close");
    JSON.writeValue(response.getOutputStream(), new ApiError(error, message, null));
  }

  private static final class TooLarge extends IOException {}

  private static final class TooSlow extends IOException {}

  /** The request with its body already received: read from memory, and a form's parameters parsed from it. */
  private static final class ReceivedBodyRequest extends HttpServletRequestWrapper {
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
        super.getParameterMap().forEach((name, values) -> merged.computeIfAbsent(name, n -> new java.util.ArrayList<>())
            .addAll(List.of(values)));
        if (isForm()) {
          for (String pair : new String(body, charset()).split("&")) {
            int equals = pair.indexOf('=');
            try {
              String name = decode(equals < 0 ? pair : pair.substring(0, equals));
              String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
              if (!name.isEmpty()) {
                merged.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
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
}
