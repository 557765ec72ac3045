package io.greenlight.circleci;

import io.greenlight.decision.DecisionRules;
import io.greenlight.directory.Directory;
import io.greenlight.directory.PersonalTokens;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CircleCI client and the diagram's CircleCI steps, by the names the BPMN model uses. */
@Configuration
@EnableConfigurationProperties(CircleCiProperties.class)
class CircleCiConfiguration {

  @Bean
  BuildLinks buildLinks(CircleCiProperties properties) {
    return new BuildLinks(properties);
  }

  @Bean
  CircleCiClient circleCiClient(CircleCiProperties properties) {
    return new CircleCiClient(properties);
  }

  @Bean
  CircleCiTokens circleCiTokens(CircleCiProperties properties, PersonalTokens personalTokens) {
    return new CircleCiTokens(properties, personalTokens);
  }

  /** {@code ${circleCiCallAttempts.forget(execution)}} in the model; commits in a transaction of its own. */
  @Bean
  CallAttempts circleCiCallAttempts(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    TransactionTemplate ownTransaction = new TransactionTemplate(transactions);
    ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    return new CallAttempts(jdbc, ownTransaction);
  }

  @Bean
  FindApprovalJob findApprovalJob(CircleCiClient client, CircleCiTokens tokens, Directory directory) {
    return new FindApprovalJob(client, tokens, directory);
  }

  @Bean
  ApproveInCircleCi approveInCircleCi(CircleCiClient client, CircleCiTokens tokens, CallAttempts attempts, DecisionRules rules) {
    return new ApproveInCircleCi(client, tokens, attempts, rules);
  }

  @Bean
  CancelWorkflow cancelWorkflow(CircleCiClient client, CircleCiTokens tokens, CallAttempts attempts) {
    return new CancelWorkflow(client, tokens, attempts);
  }
}
