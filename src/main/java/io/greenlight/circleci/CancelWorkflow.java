package io.greenlight.circleci;

import io.greenlight.gate.CallAttempts;
import io.greenlight.approval.RequestVariables;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** "Cancel workflow in CircleCI": after a rejection or expiry, so the deploy never runs. Made with the service token. */
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
