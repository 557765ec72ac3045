package io.greenlight.web;

import java.util.List;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ServerProperties;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every request passes first: a database that answers, its body received within limits, webhooks checked; and the engine's error answers made plain. */
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

  /**
   * Tomcat reads no further into a body the guard refused, and answers at once. A client that asks before it sends
   * ({@code Expect: 100-continue}: curl does for large bodies) is told to go on only once the guard starts reading, so a
   * body refused on its declared length is never sent at all (Tomcat's default says "continue" before any filter ran).
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> refusedBodiesAreNotRead() {
    return factory -> {
      factory.addContextValves(new RefusedBodyValve());
      factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "onRead"));
    };
  }

  /** {@code /engine-rest}: the starter's Jersey application (CamundaJerseyResourceConfig), a Spring bean. */
  @Bean
  ResourceConfigCustomizer engineRestErrorsInPlainWords() {
    return config -> EngineErrorMappers.ALL.forEach(config::register);
  }

  /**
   * {@code /camunda/api/*}: the webapps' JAX-RS applications are Jersey servlets the webapp starter registers by class,
   * not beans; Jersey takes the servlet context's attributes as properties of each of them, and adds the providers
   * {@code jersey.config.server.provider.classnames} names (the Jersey of {@code /engine-rest}, which is given its
   * configuration, does not read them).
   */
  @Bean
  ServletContextInitializer webappApiErrorsInPlainWords() {
    String mappers = EngineErrorMappers.ALL.stream().map(Class::getName).collect(Collectors.joining(","));
    return context -> context.setAttribute(ServerProperties.PROVIDER_CLASSNAMES, mappers);
  }
}
