package io.greenlight.engine;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;
import org.camunda.bpm.spring.boot.starter.configuration.impl.DefaultJobConfiguration;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class EngineConfiguration {

  @Bean
  RetryAfterPlugin retryAfterPlugin() {
    return new RetryAfterPlugin();
  }

  @Bean
  DirectoryOwnsIdentities directoryOwnsIdentities() {
    return new DirectoryOwnsIdentities();
  }

  /**
   * The starter's job executor with its settings, which also knows the jobs it is running ({@link JobsInFlight}); only
   * where the starter would make one.
   */
  @Bean
  @ConditionalOnProperty(prefix = "camunda.bpm.job-execution", name = "enabled", havingValue = "true", matchIfMissing = true)
  JobsInFlight jobExecutor(@Qualifier(DefaultJobConfiguration.JobConfiguration.CAMUNDA_TASK_EXECUTOR_QUALIFIER)
                           TaskExecutor taskExecutor, CamundaBpmProperties properties) {
    return JobsInFlight.copyOf((SpringJobExecutor) DefaultJobConfiguration.JobConfiguration.jobExecutor(taskExecutor, properties));
  }

  @Bean(destroyMethod = "shutdown")
  @ConditionalOnProperty(prefix = "camunda.bpm.job-execution", name = "enabled", havingValue = "true", matchIfMissing = true)
  ReleaseJobLocksAfterOutage releaseJobLocksAfterOutage(ProcessEngine engine, JobsInFlight jobExecutor, JdbcTemplate jdbc) {
    return new ReleaseJobLocksAfterOutage(engine, jobExecutor, jdbc);
  }

  @Bean
  ReleaseStaleJobLocks releaseStaleJobLocks(@Value("${spring.datasource.url:}") String datasourceUrl) {
    return new ReleaseStaleJobLocks(datasourceUrl);
  }

  @Bean
  UnbatchedFlushOnPostgres unbatchedFlushOnPostgres(@Value("${spring.datasource.url:}") String datasourceUrl) {
    return new UnbatchedFlushOnPostgres(datasourceUrl);
  }

  /** The admin, and what everyone else may do, before anyone can log in. */
  @Bean
  InitializingBean accounts(IdentityService identity, AuthorizationService authorizations, TaskService tasks,
                            ManagementService management, @Value("${greenlight.admin.password:}") String password) {
    return () -> {
      new AdminAccount(identity, authorizations).ensure(password);
      new ApproverAccess(authorizations, tasks, management).ensure();
      DirectoryOwnsIdentities.readOnlyOnThemselves(authorizations);
    };
  }
}
