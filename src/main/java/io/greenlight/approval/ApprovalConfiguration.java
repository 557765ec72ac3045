package io.greenlight.approval;

import io.greenlight.audit.Timeline;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class ApprovalConfiguration {

  @Bean
  Approvals approvals(HistoryService history, TaskService tasks, RepositoryService repository,
                      @Value("${greenlight.public-base-url}") String publicBaseUrl) {
    return new Approvals(history, tasks, new Timeline(history, tasks, repository), publicBaseUrl);
  }

  /** {@code ${deadline.after(...)}} in the model. */
  @Bean
  Deadline deadline() {
    return new Deadline();
  }
}
