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
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
      body = request.getInputStream().readAllBytes();
      checked = new BodyInMemory(request, body);
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

  /** The request with its raw body read once by the check: handlers read it again from here. */
  private static final class BodyInMemory extends HttpServletRequestWrapper {
    private final byte[] body;

    BodyInMemory(HttpServletRequest request, byte[] body) {
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
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
