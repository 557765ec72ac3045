package io.greenlight.intake;

import io.greenlight.approval.ApprovalRequests;
import io.greenlight.circleci.BuildLinks;
import io.greenlight.notify.CheckApprovers;
import io.greenlight.routing.RoutingTable;
import io.greenlight.sms.ApprovalCodes;
import org.springframework.transaction.support.TransactionTemplate;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class IntakeConfiguration {

  @Bean
  Intake intake(RuntimeService runtime, ApprovalRequests approvals, ApprovalCodes codes,
                CheckApprovers checkApprovers, RoutingTable routing, TransactionTemplate transaction, BuildLinks buildLinks) {
    return new Intake(runtime, approvals, codes, checkApprovers, routing, transaction, buildLinks);
  }
}
