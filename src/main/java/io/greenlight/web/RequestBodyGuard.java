package io.greenlight.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request body is received here, whole, before anything else reads it (security included): within a size that
 * fits its path (413 otherwise, whether or not it declares its length), at a rate no slower than
 * {@code min-body-bytes-per-second} once {@code min-body-rate-grace} has passed and within {@code body-read-timeout}
 * in all (408), and only so many at once per client address (429 at once beyond that) and in all (503). A slow or
 * flooding client thus costs only itself: it holds a few of the server's threads for a few seconds, and everyone else's
 * webhooks, answers and pipelines are received as usual. Forms are parsed from the received body, so the rest of the
 * application reads their parameters as usual.
 *
 * <p>What Tomcat bounds itself stays there (application.yaml): the wait for each next byte
 * ({@code server.tomcat.connection-timeout}), the threads and connections in all; and Tomcat stops reading a refused
 * body ({@link RefusedBodyValve}). Tomcat has no limit per client, no minimum data rate and no body limit by path: those are
 * here.
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
  private final ClientAddresses clients;
  private final BodyReads reads;

  public RequestBodyGuard(WebProperties settings) {
    this.settings = settings;
    this.clients = new ClientAddresses(settings.trustedProxies());
    this.reads = new BodyReads(settings);
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
      refuse(request, response, 413, "payload_too_large",
          "Request bodies here are limited to " + describe(limit) + ".");
      return;
    }
    boolean large = declared < 0 ? limit > settings.maxBodySize().toBytes() : declared > settings.maxBodySize().toBytes();
    BodyReads.Result place = reads.start(clients.clientOf(request), large);
    if (place.refusal() == BodyReads.Refusal.CLIENT_BUSY) {
      response.setHeader("Retry-After", "2");
      refuse(request, response, 429, "too_many_requests",
          "Too many request bodies from your address are being received at once; send them one after another.");
      return;
    }
    if (place.refusal() == BodyReads.Refusal.SERVER_BUSY) {
      response.setHeader("Retry-After", "2");
      refuse(request, response, 503, "busy",
          "Too many request bodies are being received right now; try again in a moment.");
      return;
    }
    byte[] body;
    try (BodyReads.Read reading = place.read()) {
      body = readWhole(request.getInputStream(), declared, limit);
    } catch (TooLarge tooLarge) {
      refuse(request, response, 413, "payload_too_large",
          "Request bodies here are limited to " + describe(limit) + ".");
      return;
    } catch (IOException slowOrGone) {
      refuse(request, response, 408, "request_timeout", "The request body arrived too slowly: it must come at "
          + settings.minBodyBytesPerSecond() + " bytes a second or faster and whole within "
          + settings.bodyReadTimeout().toSeconds() + " s.");
      return;
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

  /**
   * The body, read until its end (or its declared length), refused once it passes {@code limit} bytes, the deadline, or
   * falls below the minimum rate after the grace period (the average since the body began, as Kestrel measures it).
   */
  private byte[] readWhole(InputStream in, long declared, long limit) throws IOException {
    long started = System.nanoTime();
    long deadline = started + settings.bodyReadTimeout().toNanos();
    long grace = settings.minBodyRateGrace().toNanos();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int read;
    // Each read waits at most the connector's read timeout (server.tomcat.connection-timeout) for the next bytes.
    while ((read = in.read(chunk)) != -1) {
      body.write(chunk, 0, read);
      if (body.size() > limit) {
        throw new TooLarge();
      }
      if (declared >= 0 && body.size() >= declared) {
        break;
      }
      long now = System.nanoTime();
      long elapsed = now - started;
      if (now > deadline || (elapsed > grace && body.size() < settings.minBodyBytesPerSecond() * (elapsed / 1e9))) {
        throw new TooSlow();
      }
    }
    return body.toByteArray();
  }

  private static String describe(long bytes) {
    return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
  }

  private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String error,
                             String message) throws IOException {
    request.setAttribute(RefusedBodyValve.REFUSED, Boolean.TRUE);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    // The rest of the body is not waited for (RefusedBodyValve): the connection closes after this answer.
    response.setHeader("Connection", "close");
    JSON.writeValue(response.getOutputStream(), new ApiError(error, message, null));
  }

  private static final class TooLarge extends IOException {}

  private static final class TooSlow extends IOException {}
}
