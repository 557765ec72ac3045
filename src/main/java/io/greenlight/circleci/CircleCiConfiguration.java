package io.greenlight.circleci;

import io.greenlight.web.ApprovalViewParts;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** CircleCI's settings, and its part of the API's description. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CircleCiProperties.class)
class CircleCiConfiguration {

  /** {@code "circleci"} in a request's view: the call that carried the outcome. */
  @Bean
  OpenApiCustomizer circleCiPartOfTheView() {
    return ApprovalViewParts.documented(CircleCiGateKind.ID, CircleCiCall.class);
  }
}
