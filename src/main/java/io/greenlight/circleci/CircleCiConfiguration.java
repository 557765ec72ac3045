package io.greenlight.circleci;

import io.greenlight.approval.GateKinds;
import io.greenlight.gate.GateSteps;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** CircleCI's settings, and its kind of gate. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CircleCiProperties.class)
class CircleCiConfiguration {

  /** A CircleCI gate: the approval job is found in the workflow, approved, or its workflow cancelled. */
  @Bean
  GateSteps circleCiGate(FindApprovalJob find, ApproveInCircleCi approve, CancelWorkflow cancel) {
    return new GateSteps(GateKinds.CIRCLECI, find, approve, cancel);
  }
}
