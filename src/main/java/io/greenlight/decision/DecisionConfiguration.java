package io.greenlight.decision;

import io.greenlight.approval.ApprovalRequests;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.TaskService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnswerProperties.class)
class DecisionConfiguration {

  /** Refused answers are recorded in a transaction of their own, which the engine's requires-new executor gives. */
  @Bean
  Decisions decisions(ApprovalRequests approvals, TaskService tasks, IdentityService identity, DecisionRules rules,
                      ProcessEngine engine, RefusalLimit refusalLimit) {
    CommandExecutor newTransaction = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .getCommandExecutorTxRequiresNew();
    return new Decisions(approvals, tasks, identity, rules, newTransaction, refusalLimit);
  }
}
