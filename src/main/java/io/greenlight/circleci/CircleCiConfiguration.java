package io.greenlight.circleci;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** CircleCI's settings, and the call attempts' store (it commits in a transaction of its own). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CircleCiProperties.class)
class CircleCiConfiguration {

  /** {@code ${circleCiCallAttempts.forget(execution)}} in the model; commits in a transaction of its own. */
  @Bean
  CallAttempts circleCiCallAttempts(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    TransactionTemplate ownTransaction = new TransactionTemplate(transactions);
    ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    return new CallAttempts(jdbc, ownTransaction);
  }
}
