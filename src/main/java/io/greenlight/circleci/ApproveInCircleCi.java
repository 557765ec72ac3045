package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.CIRCLECI_CALL;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.CircleCiCall;
import io.greenlight.approval.JsonVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/** "Approve job in CircleCI": the deploy may go on. */
public class ApproveInCircleCi extends CircleCiDelegate {

  private final CircleCiClient circleCi;
  private final CircleCiTokens tokens;

  public ApproveInCircleCi(CircleCiClient circleCi, CircleCiTokens tokens) {
    this.circleCi = circleCi;
    this.tokens = tokens;
  }

  @Override
  protected void run(DelegateExecution execution) {
    CircleCiTokens.OwnedToken token = tokens.service();
    if (GateCheck.beforeActing(circleCi, tokens, execution, "success") == GateCheck.Gate.DONE_BY_EARLIER_ATTEMPT) {
      execution.setVariable(CIRCLECI_CALL, JsonVariables.json(new CircleCiCall("approve", null, token.owner(),
          "An earlier attempt went through: CircleCI shows the job success", ClockUtil.getCurrentTime().toInstant())));
      return;
    }
    CircleCiAnswer answer = circleCi.approve(
        (String) execution.getVariable(WORKFLOW_ID), (String) execution.getVariable(APPROVAL_REQUEST_ID), token.token());
    execution.setVariable(CIRCLECI_CALL, JsonVariables.json(new CircleCiCall(
        "approve", answer.statusCode(), token.owner(), answer.message(), ClockUtil.getCurrentTime().toInstant())));
  }
}
