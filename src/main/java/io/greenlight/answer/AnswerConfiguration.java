package io.greenlight.answer;

import io.greenlight.approval.ApprovalRequests;
import io.greenlight.directory.Directory;
import io.greenlight.routing.RoutingTable;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AnswerProperties.class, ApprovalsProperties.class})
class AnswerConfiguration {

  /** Refused answers are recorded in a transaction of their own, which the engine's requires-new executor gives. */
  @Bean
  Answering answering(ApprovalRequests approvals, ProcessEngine engine, Directory directory, DecisionRules rules,
                      RoutingTable routing, ApprovalCodes codes, RefusalLimit refusalLimit, SettingUpWait settingUp,
                      RequestCommits commits, TransactionTemplate transaction, JdbcTemplate jdbc) {
    TaskService tasks = engine.getTaskService();
    RuntimeService runtime = engine.getRuntimeService();
    HistoryService history = engine.getHistoryService();
    IdentityService identity = engine.getIdentityService();
    return new Answering(approvals, tasks, runtime, history, identity, directory, rules, routing, codes, refusalLimit,
        settingUp, commits, transaction, jdbc,
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequiresNew());
  }
}
