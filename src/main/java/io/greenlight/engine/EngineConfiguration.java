package io.greenlight.engine;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.beans.factory.InitializingBean;
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
