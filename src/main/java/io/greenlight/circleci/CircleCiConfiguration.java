package io.greenlight.circleci;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** CircleCI's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CircleCiProperties.class)
class CircleCiConfiguration {
}
