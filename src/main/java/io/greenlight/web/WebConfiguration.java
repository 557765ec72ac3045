package io.greenlight.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every request passes first: its body received within limits, and the engine's error answers made plain. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
class WebConfiguration {

  /** Before everything, security included: nothing reads a body that has not been received whole. */
  @Bean
  FilterRegistrationBean<RequestBodyGuard> requestBodyGuard(WebProperties settings) {
    FilterRegistrationBean<RequestBodyGuard> registration = new FilterRegistrationBean<>(new RequestBodyGuard(settings));
    registration.addUrlPatterns("/*");
    registration.setOrder(Integer.MIN_VALUE + 100);
    return registration;
  }

  /** Tomcat reads no further into a body the guard refused, and answers at once. */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> refusedBodiesAreNotRead() {
    return factory -> factory.addContextValves(new RefusedBodyValve());
  }

  @Bean
  FilterRegistrationBean<EngineErrorAnswers> engineErrorAnswers() {
    FilterRegistrationBean<EngineErrorAnswers> registration = new FilterRegistrationBean<>(new EngineErrorAnswers());
    registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
    registration.setOrder(Integer.MIN_VALUE + 50);
    return registration;
  }
}
