package io.greenlight.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * {@code /history/**}: for whoever is signed in to Tasklist; others are sent to the sign-in page, which signs in to
 * Tasklist's session. The pages only read; the sign-in form is the one POST, with Spring's CSRF token. Scripts come
 * from this server only.
 */
@Configuration
class HistoryPageSecurity {

  static final String SIGN_IN = "/history/sign-in";

  @Bean
  @Order(0)
  SecurityFilterChain historyPages(HttpSecurity http,
      @Value("${camunda.bpm.webapp.auth.cache.time-to-live:300000}") long authenticationCacheMillis) throws Exception {
    // Matched on the whole path: a plain pattern would be matched within each servlet, and the engine REST API's
    // /engine-rest/history/** would be taken for a history page.
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    return http.securityMatcher(new OrRequestMatcher(paths.matcher("/history"), paths.matcher("/history/**")))
        .addFilterBefore(new TasklistSession(authenticationCacheMillis), AnonymousAuthenticationFilter.class)
        .requestCache(cache -> cache.disable())
        .exceptionHandling(handling -> handling.authenticationEntryPoint((request, response, refused) ->
            response.sendRedirect(request.getContextPath() + SIGN_IN + "?next="
                + URLEncoder.encode(request.getRequestURI().substring(request.getContextPath().length())
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString()), StandardCharsets.UTF_8))))
        .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(SIGN_IN).permitAll()
            .anyRequest().hasRole(TasklistSession.ROLE))
        .build();
  }
}
