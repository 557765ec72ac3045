package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/** "Approve job in CircleCI": the deploy may go on. */
public class ApproveInCircleCi extends CircleCiDelegate {

  public ApproveInCircleCi(CircleCiClient circleCi, CircleCiTokens tokens) {
    super(circleCi, tokens);
  }

  @Override
  protected void run(DelegateExecution execution) {
    actOnGate(execution, "approve", "success", token -> circleCi.approve(
        (String) execution.getVariable(WORKFLOW_ID), (String) execution.getVariable(APPROVAL_REQUEST_ID), token));
  }
}
