package io.greenlight.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.web.ApiError;
import io.greenlight.web.DatabaseDownGate;
import io.greenlight.web.DatabaseLink;
import io.greenlight.web.DatabaseUnavailable;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** Security's refusals in the API's error shape; a login that could not be checked for want of the database is a 503. */
class JsonErrorWriter {

  private final ObjectMapper json = new ObjectMapper();
  private final DatabaseLink link;

  JsonErrorWriter(DatabaseLink link) {
    this.link = link;
  }

  void write(HttpServletResponse response, int status, String code, String message) throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), new ApiError(code, message, null));
  }

  AuthenticationEntryPoint unauthenticated() {
    return (request, response, exception) -> {
      if (exception instanceof AuthenticationServiceException && DatabaseUnavailable.causedBy(exception)) {
        // The password could not be checked: not the caller's fault, and worth trying again shortly.
        link.suspect("A login check", exception);
        DatabaseDownGate.writeUnavailable(response, link.retryAfterSeconds());
        return;
      }
      response.setHeader("WWW-Authenticate", "Bearer, Basic realm=\"greenlight\"");
      write(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
          "Authenticate with an API key (Authorization: Bearer) or a directory user (HTTP Basic).");
    };
  }

  AccessDeniedHandler forbidden() {
    return (request, response, exception) -> write(response, HttpServletResponse.SC_FORBIDDEN, "forbidden",
        "These credentials may not do this.");
  }
}
