package io.greenlight.decision;

import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.REQUIRED_APPROVALS;

import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** {@code ${quorum.reached(execution)}}: as many distinct approvers as the routing asked for have approved. */
public class Quorum {

  public boolean reached(DelegateExecution execution) {
    long approvers = JsonVariables.list(execution, DECISIONS, Decision.class).stream()
        .filter(decision -> Decision.APPROVE.equals(decision.decision())).map(Decision::user).distinct().count();
    Object required = execution.getVariable(REQUIRED_APPROVALS);
    return approvers >= (required instanceof Number number ? number.longValue() : 1L);
  }
}
