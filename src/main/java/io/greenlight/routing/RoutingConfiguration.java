package io.greenlight.routing;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

  /** A plugin of the engine, so it exists before the engine deploys anything. */
  @Bean
  static Deployments deployments() {
    return new Deployments();
  }

  @Bean
  RoutingTable routingTable(ProcessEngine engine, Deployments deployments) {
    return new RoutingTable((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration(), deployments);
  }
}
