package io.greenlight.circleci;

import io.greenlight.approval.RequestVariables;
import io.greenlight.gate.CallAttempts;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * "Stop the deploy", CircleCI's kind: the workflow is cancelled after a rejection, an expiry or when nobody can approve,
 * so the deploy never runs. Made with the service token.
 */
@Component("cancelWorkflow")
public class CancelWorkflow extends GateAction {

  public CancelWorkflow(CircleCiClient circleCi, CircleCiTokens tokens, CallAttempts attempts) {
    super(circleCi, tokens, attempts);
  }

  @Override
  protected void run(DelegateExecution execution) {
    String workflowId = RequestVariables.of(execution).text(WORKFLOW_ID);
    act(execution, "cancel", "canceled", tokens.service(), token -> circleCi.cancel(workflowId, token));
  }
}
