package io.greenlight.security;

import io.greenlight.directory.Directory;
import io.greenlight.web.DatabaseLink;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may do what. Greenlight's API: CI pipelines by API key, people by HTTP Basic with their directory
 * password. Camunda's webapps keep their own login and CSRF protection; the engine REST API takes HTTP
 * Basic against the same users through Camunda's own filter.
 */
@Configuration
class SecurityConfiguration {

  private final JsonErrorWriter errors;

  SecurityConfiguration(DatabaseLink link) {
    this.errors = new JsonErrorWriter(link);
  }

  @Bean
  DirectoryUserAuthenticationProvider directoryUserAuthenticationProvider(IdentityService identity) {
    return new DirectoryUserAuthenticationProvider(identity);
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, Directory directory, DirectoryUserAuthenticationProvider users) throws Exception {
    String ci = ApiClientAuthentication.ROLE;
    String user = DirectoryUserAuthenticationProvider.USER;
    return http.securityMatcher("/api/**")
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authenticationProvider(users)
        .addFilterBefore(new ApiKeyFilter(directory, errors), BasicAuthenticationFilter.class)
        .httpBasic(basic -> basic.authenticationEntryPoint(errors.unauthenticated()))
        .exceptionHandling(handling -> handling
            .authenticationEntryPoint(errors.unauthenticated())
            .accessDeniedHandler(errors.forbidden()))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(HttpMethod.POST, "/api/approvals", ApiKeyFilter.XMATTERS_PATH).hasRole(ci)
            .requestMatchers(HttpMethod.GET, "/api/approvals", "/api/approvals/*", "/api/approvals/*/audit",
                "/api/approvals/*/audit.csv").hasAnyRole(ci, user)
            .requestMatchers(HttpMethod.POST, "/api/approvals/*/decision").hasRole(user)
            .requestMatchers(HttpMethod.GET, "/api/oncall/*").hasRole(user)
            // Reading freezes: any directory user; declaring and ending them: admins and managers, checked by the controller.
            .requestMatchers("/api/freezes", "/api/freezes/*").hasRole(user)
            // People only (the controller keeps it to auditors and admins): a period spans every project, beyond any key's.
            .requestMatchers(HttpMethod.GET, "/api/audit.csv", "/api/audit.json").hasRole(user)
            .requestMatchers("/api/admin/**").hasRole(DirectoryUserAuthenticationProvider.ADMIN)
            .anyRequest().authenticated())
        .build();
  }

  /** Health is open (load balancers, probes); metrics for directory users by HTTP Basic (a Prometheus scrape job). */
  @Bean
  @Order(2)
  SecurityFilterChain actuator(HttpSecurity http, DirectoryUserAuthenticationProvider users) throws Exception {
    return http.securityMatcher("/actuator/**")
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authenticationProvider(users)
        .httpBasic(basic -> basic.authenticationEntryPoint(errors.unauthenticated()))
        .exceptionHandling(handling -> handling
            .authenticationEntryPoint(errors.unauthenticated())
            .accessDeniedHandler(errors.forbidden()))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers("/actuator/prometheus").hasRole(DirectoryUserAuthenticationProvider.USER)
            .anyRequest().denyAll())
        .build();
  }

  /** Everything else: Camunda's webapps and engine REST API guard themselves. */
  @Bean
  @Order(3)
  SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
    return http
        .csrf(AbstractHttpConfigurer::disable)
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .build();
  }

  @Bean
  FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.addUrlPatterns("/engine-rest/*");
    registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        HttpBasicAuthenticationProvider.class.getName());
    registration.setName("engine-rest-authentication");
    return registration;
  }
}
