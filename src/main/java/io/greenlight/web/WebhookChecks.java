package io.greenlight.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one place webhooks are authenticated: every {@link WebhookCheck} the features declare runs here, before
 * Spring Security and before any handler, on the paths it covers. A request that fails is answered with the check's
 * error and goes no further.
 */
public class WebhookChecks extends OncePerRequestFilter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<WebhookCheck> checks;

  public WebhookChecks(List<WebhookCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    Optional<WebhookCheck> check = checks.stream().filter(c -> c.covers(path)).findFirst();
    if (check.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest checked = request;
    byte[] body = null;
    if (check.get().readsBody()) {
      // RequestBodyGuard has received it whole, within its limits, and hands it out again on every read; a request it
      // did not wrap (no body) is wrapped here, so handlers read the same bytes after the check.
      body = request.getInputStream().readAllBytes();
      checked = request instanceof ReceivedBodyRequest ? request : new ReceivedBodyRequest(request, body);
    }
    Optional<ApiException> refusal = check.get().refusal(checked, body);
    if (refusal.isPresent()) {
      ApiError error = refusal.get().toError();
      response.setStatus(refusal.get().status().value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      JSON.writeValue(response.getOutputStream(), error);
      return;
    }
    chain.doFilter(checked, response);
  }
}
