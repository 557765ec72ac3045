package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/** "Cancel workflow in CircleCI": after a rejection or expiry, so the deploy never runs. */
public class CancelWorkflow extends CircleCiDelegate {

  public CancelWorkflow(CircleCiClient circleCi, CircleCiTokens tokens) {
    super(circleCi, tokens);
  }

  @Override
  protected void run(DelegateExecution execution) {
    actOnGate(execution, "cancel", "canceled", token -> circleCi.cancel((String) execution.getVariable(WORKFLOW_ID), token));
  }
}
