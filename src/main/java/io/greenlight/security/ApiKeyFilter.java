package io.greenlight.security;

import io.greenlight.directory.ApiClientAccess;
import io.greenlight.directory.Directory;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Knows a CI pipeline by its API key: {@code Authorization: Bearer <key>}, or {@code ?apiKey=<key>} on the
 * xMatters-compatible inbound path (the orb can only put the key in its URL). A wrong key is answered
 * 401 at once.
 */
class ApiKeyFilter extends OncePerRequestFilter {

  static final String XMATTERS_PATH = "/api/inbound/xmatters";

  private final Directory directory;
  private final JsonErrorWriter errors;

  ApiKeyFilter(Directory directory, JsonErrorWriter errors) {
    this.directory = directory;
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String key = presentedKey(request);
    if (key != null) {
      Optional<ApiClientAccess> client = directory.clientWithKey(key);
      if (client.isEmpty()) {
        errors.write(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_api_key", "The API key is not known.");
        return;
      }
      SecurityContextHolder.getContext().setAuthentication(new ApiClientAuthentication(client.get()));
    }
    chain.doFilter(request, response);
  }

  private static String presentedKey(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (XMATTERS_PATH.equals(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()))) {
      return request.getParameter("apiKey");
    }
    return null;
  }
}
