package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.Answers;
import io.greenlight.approval.Decision;
import io.greenlight.approval.RequestVariables;
import io.greenlight.answer.DecisionRules;
import io.greenlight.gate.CallAttempts;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * "Approve the gate", CircleCI's kind: the deploy may go on, once the recorded answers are confirmed to approve it. The call is
 * made with the token of the approver whose approval decided (CircleCI then shows who approved), or the service token
 * when they have none stored.
 */
@Component("approveInCircleCi")
public class ApproveInCircleCi extends GateAction {

  private final DecisionRules rules;

  public ApproveInCircleCi(CircleCiClient circleCi, CircleCiTokens tokens, CallAttempts attempts, DecisionRules rules) {
    super(circleCi, tokens, attempts);
    this.rules = rules;
  }

  @Override
  protected void run(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    List<Decision> decisions = rules.confirmedApprovals(execution);
    String workflowId = request.text(WORKFLOW_ID);
    String approvalRequestId = request.text(APPROVAL_REQUEST_ID);
    act(execution, "approve", "success", tokens.of(decidingApprover(decisions)),
        token -> circleCi.approve(workflowId, approvalRequestId, token));
  }

  /** The last approval is the one that reached the quorum. */
  private static String decidingApprover(List<Decision> decisions) {
    List<String> approvers = Answers.approvers(decisions);
    return approvers.isEmpty() ? null : approvers.get(approvers.size() - 1);
  }
}
