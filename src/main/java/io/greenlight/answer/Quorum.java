package io.greenlight.answer;

import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApprovalVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * {@code ${quorum.reached(execution)}}: every rule of the request is met, as its approvals were last counted (each
 * approver toward one rule); a request without rules across groups: as many distinct approvers as the routing asked for.
 * A break-glass approval, given while deploys were frozen, decides alone.
 */
@Component("quorum")
public class Quorum {

  public boolean reached(DelegateExecution execution) {
    return execution.hasVariable(ApprovalVariables.BREAK_GLASS) || ApprovalRules.met(ApprovalRules.of(execution));
  }
}
