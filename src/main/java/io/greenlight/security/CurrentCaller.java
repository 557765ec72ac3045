package io.greenlight.security;

import io.greenlight.directory.ApiClientAccess;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling the API: a CI pipeline (API key) or a person (directory user). */
public final class CurrentCaller {

  private CurrentCaller() {}

  public static Optional<ApiClientAccess> apiClient() {
    return SecurityContextHolder.getContext().getAuthentication() instanceof ApiClientAuthentication client
        ? Optional.of(client.client()) : Optional.empty();
  }

  /** A directory user who is an admin (camunda-admin). */
  public static boolean isAdmin() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication != null && !(authentication instanceof ApiClientAuthentication)
        && authentication.getAuthorities().stream()
            .anyMatch(role -> ("ROLE_" + DirectoryUserAuthenticationProvider.ADMIN).equals(role.getAuthority()));
  }

  /** The directory user's id; empty for a CI pipeline. */
  public static Optional<String> userId() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication == null || authentication instanceof ApiClientAuthentication
        ? Optional.empty() : Optional.ofNullable(authentication.getName());
  }
}
