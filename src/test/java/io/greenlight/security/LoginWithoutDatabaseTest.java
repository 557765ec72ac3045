package io.greenlight.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.greenlight.web.DatabaseLink;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;

/**
 * HTTP Basic whose password cannot be checked because the database cannot be reached: 503 with Retry-After in the
 * API's error shape, not 401 (the password may be right) and not a bare 500 (the failure used to escape the filter
 * chain). The path before the database link noticed; once it has, the gate answers before the login check.
 */
class LoginWithoutDatabaseTest {

  private final IdentityService identity = mock(IdentityService.class);
  private final DirectoryUserAuthenticationProvider users = new DirectoryUserAuthenticationProvider(identity);
  private final DatabaseLink link = new DatabaseLink(mock(DataSource.class), event -> {}, Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(10));

  @Test
  void aLoginCheckWithoutTheDatabaseIsAnswered503WithRetryAfter() throws Exception {
    when(identity.checkPassword(anyString(), anyString())).thenThrow(new ProcessEngineException("ENGINE-03083",
        new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 3000ms")));

    AuthenticationException refused = null;
    try {
      users.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("alice", "alice-password"));
    } catch (AuthenticationException e) {
      refused = e;
    }
    assertThat(refused).isInstanceOf(InternalAuthenticationServiceException.class);

    MockHttpServletResponse response = new MockHttpServletResponse();
    new JsonErrorWriter(link).unauthenticated().commence(new MockHttpServletRequest(), response, refused);
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("10");
    assertThat(response.getContentAsString()).contains("\"error\":\"unavailable\"");
    assertThat(response.getHeader("WWW-Authenticate")).isNull();
  }

  @Test
  void aWrongPasswordIsStill401() throws Exception {
    when(identity.checkPassword(anyString(), anyString())).thenReturn(false);
    assertThatThrownBy(() -> users.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("alice", "wrong")))
        .isInstanceOf(BadCredentialsException.class);

    MockHttpServletResponse response = new MockHttpServletResponse();
    new JsonErrorWriter(link).unauthenticated().commence(new MockHttpServletRequest(), response,
        new BadCredentialsException("Unknown user or wrong password"));
    assertThat(response.getStatus()).isEqualTo(401);
  }
}
