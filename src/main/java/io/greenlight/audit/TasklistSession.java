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
 * The history pages sit behind the same login as Tasklist: whoever is signed in to Tasklist in this session (the one
 * Camunda's webapps share) is signed in here. As the webapps' own filter does, the session's user is checked against
 * the engine again once the cached check is older than the webapps' cache time-to-live, so a user removed or locked
 * out of Tasklist loses the history pages too.
 */
class TasklistSession extends OncePerRequestFilter {

  static final String ROLE = "WEBAPP_USER";
  /** The session attribute Camunda's webapps keep their sign-ins in. */
  private static final String AUTHENTICATED_USERS = "authenticatedUser";
  private static final String ENGINE = "default";

  private final long authenticationCacheMillis;

  TasklistSession(long authenticationCacheMillis) {
    this.authenticationCacheMillis = authenticationCacheMillis;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    userOf(request).ifPresent(user -> SecurityContextHolder.getContext().setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(user, null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)))));
    chain.doFilter(request, response);
  }

  /** The user signed in to Tasklist in this request's session, if one is. */
  Optional<String> userOf(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null || session.getAttribute(AUTHENTICATED_USERS) == null) {
      return Optional.empty();
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    AuthenticationUtil.updateCache(authentications, session, authenticationCacheMillis);
    Authentication authentication = authentications.getAuthenticationForProcessEngine(ENGINE);
    if (authentication instanceof UserAuthentication user && user.getIdentityId() != null && user.isAuthorizedForApp("tasklist")) {
      return Optional.of(user.getIdentityId());
    }
    return Optional.empty();
  }
}
