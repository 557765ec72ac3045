package io.greenlight.engine;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
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
  ReleaseStaleJobLocks releaseStaleJobLocks() {
    return new ReleaseStaleJobLocks();
  }

  @Bean
  InitializingBean adminAccount(IdentityService identity, AuthorizationService authorizations,
                                @Value("${greenlight.admin.password:}") String password) {
    return () -> new AdminAccount(identity, authorizations).ensure(password);
  }
}
