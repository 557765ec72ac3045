package io.greenlight.answer;

import io.greenlight.approval.ApprovalRules;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * {@code ${quorum.reached(execution)}}: every rule of the request is met, as its approvals were last counted (each
 * approver toward one rule); a request without rules across groups: as many distinct approvers as the routing asked for.
 */
@Component("quorum")
public class Quorum {

  public boolean reached(DelegateExecution execution) {
    return ApprovalRules.met(ApprovalRules.of(execution));
  }
}
