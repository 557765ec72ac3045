package io.greenlight.routing;

import io.greenlight.directory.Directory;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

  @Bean
  RoutingTable routingTable(ProcessEngine engine) {
    return new RoutingTable((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration());
  }

  @Bean
  RoutingCheck routingCheck(RoutingTable routing, Directory directory) {
    return new RoutingCheck(routing, directory);
  }
}
