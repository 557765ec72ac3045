package io.greenlight.gate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The call attempts' store, shared by every gate kind. */
@Configuration(proxyBeanMethods = false)
class GateConfiguration {

  /**
   * {@code ${circleCiCallAttempts.forget(execution)}} in the model (the name it had when CircleCI was the only gate
   * kind; deployed models keep it); commits in a transaction of its own.
   */
  @Bean
  CallAttempts circleCiCallAttempts(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    TransactionTemplate ownTransaction = new TransactionTemplate(transactions);
    ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    return new CallAttempts(jdbc, ownTransaction);
  }
}
