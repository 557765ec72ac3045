package io.greenlight.intake;

import io.greenlight.approval.Approvals;
import io.greenlight.directory.Directory;
import io.greenlight.sms.ApprovalCodes;
import org.springframework.transaction.support.TransactionTemplate;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class IntakeConfiguration {

  @Bean
  Intake intake(RuntimeService runtime, Approvals approvals, Directory directory, ApprovalCodes codes,
                TransactionTemplate transaction) {
    return new Intake(runtime, approvals, directory, codes, transaction);
  }
}
