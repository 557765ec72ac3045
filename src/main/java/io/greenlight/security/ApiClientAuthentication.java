package io.greenlight.security;

import io.greenlight.directory.ApiClientAccess;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A CI pipeline, known by the API key it presented. */
public class ApiClientAuthentication extends AbstractAuthenticationToken {

  public static final String ROLE = "CI";

  private final ApiClientAccess client;

  public ApiClientAuthentication(ApiClientAccess client) {
    super(List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
    this.client = client;
    setAuthenticated(true);
  }

  public ApiClientAccess client() {
    return client;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return client.id();
  }
}
