package io.greenlight.web;

import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every request passes first: a database that answers, its body received within limits, and the engine's error answers made plain. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
class WebConfiguration {

  /**
   * First of all: while the database is unreachable, what needs it is answered 503 at once, before a body is read or a
   * password checked.
   */
  @Bean
  FilterRegistrationBean<DatabaseDownGate> databaseDownGate(DatabaseLink link) {
    FilterRegistrationBean<DatabaseDownGate> registration = new FilterRegistrationBean<>(new DatabaseDownGate(link));
    registration.addUrlPatterns(DatabaseDownGate.PATHS);
    registration.setOrder(Integer.MIN_VALUE + 40);
    return registration;
  }

  /** Before everything else, security included: nothing reads a body that has not been received whole. */
  @Bean
  FilterRegistrationBean<RequestBodyGuard> requestBodyGuard(WebProperties settings) {
    FilterRegistrationBean<RequestBodyGuard> registration = new FilterRegistrationBean<>(new RequestBodyGuard(settings));
    registration.addUrlPatterns("/*");
    registration.setOrder(Integer.MIN_VALUE + 100);
    return registration;
  }

  /** After the body is received, before security and every handler: webhooks are their senders' or go no further. */
  @Bean
  FilterRegistrationBean<WebhookChecks> webhookChecks(List<WebhookCheck> checks) {
    FilterRegistrationBean<WebhookChecks> registration = new FilterRegistrationBean<>(new WebhookChecks(checks));
    registration.addUrlPatterns("/*");
    registration.setOrder(Integer.MIN_VALUE + 150);
    return registration;
  }

  @Bean
  FilterRegistrationBean<EngineErrorAnswers> engineErrorAnswers() {
    FilterRegistrationBean<EngineErrorAnswers> registration = new FilterRegistrationBean<>(new EngineErrorAnswers());
    registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
    registration.setOrder(Integer.MIN_VALUE + 50);
    return registration;
  }
}
