package io.greenlight.security;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import io.greenlight.web.DatabaseUnavailable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * HTTP Basic against the users Camunda knows (the directory's, and {@code admin}): the same passwords as
 * Tasklist, checked by Camunda, which also locks a user out after repeated failures.
 */
class DirectoryUserAuthenticationProvider implements AuthenticationProvider {

  static final String USER = "USER";
  static final String ADMIN = "ADMIN";

  private final IdentityService identity;

  DirectoryUserAuthenticationProvider(IdentityService identity) {
    this.identity = identity;
  }

  /**
   * A database that cannot be reached is not a wrong password: it becomes an
   * {@link InternalAuthenticationServiceException}, which the entry point answers 503 with {@code Retry-After} (not 401,
   * and not a bare 500 from outside the API's error handling), and which keeps the parent authentication manager from
   * asking the database a second time.
   */
  @Override
  public Authentication authenticate(Authentication authentication) {
    try {
      return check(authentication);
    } catch (RuntimeException e) {
      if (!(e instanceof AuthenticationException) && DatabaseUnavailable.causedBy(e)) {
        throw new InternalAuthenticationServiceException("The users' database could not be reached", e);
      }
      throw e;
    }
  }

  private Authentication check(Authentication authentication) {
    String userId = authentication.getName();
    Object password = authentication.getCredentials();
    if (userId == null || password == null || !identity.checkPassword(userId, password.toString())) {
      throw new BadCredentialsException("Unknown user or wrong password");
    }
    List<GrantedAuthority> roles = new ArrayList<>();
    roles.add(new SimpleGrantedAuthority("ROLE_" + USER));
    if (identity.createGroupQuery().groupMember(userId).groupId(Groups.CAMUNDA_ADMIN).count() > 0) {
      roles.add(new SimpleGrantedAuthority("ROLE_" + ADMIN));
    }
    return UsernamePasswordAuthenticationToken.authenticated(userId, null, roles);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
