package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * "Approve job in CircleCI": the deploy may go on. The call is made with the token of the approver whose approval
 * decided (CircleCI then shows who approved), or the service token when they have none stored.
 */
public class ApproveInCircleCi extends GateAction {

  public ApproveInCircleCi(CircleCiClient circleCi, CircleCiTokens tokens, CallAttempts attempts) {
    super(circleCi, tokens, attempts);
  }

  @Override
  protected void run(DelegateExecution execution) {
    String workflowId = (String) execution.getVariable(WORKFLOW_ID);
    String approvalRequestId = (String) execution.getVariable(APPROVAL_REQUEST_ID);
    act(execution, "approve", "success", tokens.of(decidingApprover(execution)),
        token -> circleCi.approve(workflowId, approvalRequestId, token));
  }

  /** The last approval is the one that reached the quorum. */
  private static String decidingApprover(DelegateExecution execution) {
    List<Decision> approvals = JsonVariables.list(execution, DECISIONS, Decision.class).stream()
        .filter(decision -> Decision.APPROVE.equals(decision.decision())).toList();
    return approvals.isEmpty() ? null : approvals.get(approvals.size() - 1).user();
  }
}
