package io.greenlight.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The history pages sit behind the same login as Tasklist: whoever is signed in to Camunda's webapps (the session
 * Tasklist, Cockpit and Admin share) is signed in here. Nothing of the session is changed.
 */
class TasklistSession extends OncePerRequestFilter {

  static final String ROLE = "WEBAPP_USER";
  private static final String ENGINE = "default";

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    userOf(request).ifPresent(user -> SecurityContextHolder.getContext().setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(user, null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)))));
    chain.doFilter(request, response);
  }

  /** The user signed in to the webapps in this request's session, if one is. */
  static Optional<String> userOf(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    Authentication authentication = authentications == null ? null : authentications.getAuthenticationForProcessEngine(ENGINE);
    if (authentication instanceof UserAuthentication user && user.getIdentityId() != null
        && (user.isAuthorizedForApp("tasklist") || user.isAuthorizedForApp("cockpit"))) {
      return Optional.of(user.getIdentityId());
    }
    return Optional.empty();
  }
}
