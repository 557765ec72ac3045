package io.greenlight.notify;

import io.greenlight.directory.Directory;
import io.greenlight.oncall.OnCallSchedule;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class NotifyConfiguration {

  @Bean
  ApproversToAsk approversToAsk(Directory directory) {
    return new ApproversToAsk(directory);
  }

  @Bean
  AskNextLevel askNextLevel(Directory directory, OnCallSchedule onCall) {
    return new AskNextLevel(directory, onCall);
  }

  @Bean
  CheckApprovers checkApprovers(Directory directory) {
    return new CheckApprovers(directory);
  }

  @Bean
  Escalations escalations(RuntimeService runtime) {
    return new Escalations(runtime);
  }
}
