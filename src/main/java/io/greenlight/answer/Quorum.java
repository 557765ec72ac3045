package io.greenlight.answer;

import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.REQUIRED_APPROVALS;

import io.greenlight.approval.Answers;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** {@code ${quorum.reached(execution)}}: as many distinct approvers as the routing asked for have approved. */
@Component("quorum")
public class Quorum {

  public boolean reached(DelegateExecution execution) {
    Object required = execution.getVariable(REQUIRED_APPROVALS);
    return Answers.met(JsonVariables.list(execution, DECISIONS, Decision.class), required instanceof Number n ? n.intValue() : null);
  }
}
