package io.greenlight.metrics;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class MetricsConfiguration {

  @Bean
  EngineGauges engineGauges(RuntimeService runtime) {
    return new EngineGauges(runtime);
  }

  @Bean
  CountOutcome countOutcome() {
    return new CountOutcome();
  }
}
