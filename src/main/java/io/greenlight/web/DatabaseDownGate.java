package io.greenlight.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While the database is known to be unreachable ({@link DatabaseLink}), every path that needs it is answered 503 with
 * {@code Retry-After} at once — before the login check, which reads the database too — instead of holding a server
 * thread for a connection that cannot be had. Twilio's SMS and call webhooks are not answered here: they answer the
 * approver in TwiML themselves. Health stays open: readiness says DOWN, liveness UP.
 */
public class DatabaseDownGate extends OncePerRequestFilter {

  /**
   * Every path whose answer needs the database; {@code /twilio/sms} and {@code /twilio/voice/gather} answer the
   * approver in TwiML on their own (a text, what the call says).
   */
  static final String[] PATHS = {"/api/*", "/engine-rest/*", "/camunda/api/*", "/twilio/status", "/twilio/voice/status",
      "/slack/*", "/github/*"};

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DatabaseLink link;

  public DatabaseDownGate(DatabaseLink link) {
    this.link = link;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (link.isUp()) {
      chain.doFilter(request, response);
      return;
    }
    writeUnavailable(response, link.retryAfterSeconds());
  }

  /** The API's answer when the database cannot be reached: 503, {@code Retry-After}, {@code unavailable}. */
  public static void writeUnavailable(HttpServletResponse response, long retryAfterSeconds) throws IOException {
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    JSON.writeValue(response.getOutputStream(), unavailable());
  }

  static ApiError unavailable() {
    return new ApiError("unavailable",
        "Greenlight cannot reach its database just now; nothing was changed. Try again after Retry-After seconds.", null);
  }
}
