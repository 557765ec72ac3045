package io.greenlight.decision;

import io.greenlight.approval.ApprovalRequests;
import io.greenlight.directory.Directory;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.TaskService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(AnswerProperties.class)
class DecisionConfiguration {

  @Bean
  RefusalLimit refusalLimit(AnswerProperties settings) {
    return new RefusalLimit(settings);
  }

  @Bean
  DecisionRules decisionRules(Directory directory) {
    return new DecisionRules(directory);
  }

  @Bean
  Quorum quorum() {
    return new Quorum();
  }

  @Bean
  RecordDecision recordDecision(DecisionRules rules, RefusalLimit refusalLimit) {
    return new RecordDecision(rules, refusalLimit);
  }

  /** People may give their answer, not rewrite the request: see the class. */
  @Bean
  AnswerGuard answerGuard(RefusalLimit refusalLimit) {
    return new AnswerGuard(refusalLimit);
  }

  @Bean
  Decisions decisions(ApprovalRequests approvals, TaskService tasks, IdentityService identity, DecisionRules rules,
                      ProcessEngine engine, RefusalLimit refusalLimit) {
    CommandExecutor newTransaction = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .getCommandExecutorTxRequiresNew();
    return new Decisions(approvals, tasks, identity, rules, newTransaction, refusalLimit);
  }
}
