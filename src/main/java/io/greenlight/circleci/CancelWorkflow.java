package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.CIRCLECI_CALL;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.CircleCiCall;
import io.greenlight.approval.JsonVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/** "Cancel workflow in CircleCI": after a rejection or expiry, so the deploy never runs. */
public class CancelWorkflow extends CircleCiDelegate {

  private final CircleCiClient circleCi;
  private final CircleCiTokens tokens;

  public CancelWorkflow(CircleCiClient circleCi, CircleCiTokens tokens) {
    this.circleCi = circleCi;
    this.tokens = tokens;
  }

  @Override
  protected void run(DelegateExecution execution) {
    CircleCiTokens.OwnedToken token = tokens.service();
    if (GateCheck.beforeActing(circleCi, tokens, execution, "canceled") == GateCheck.Gate.DONE_BY_EARLIER_ATTEMPT) {
      execution.setVariable(CIRCLECI_CALL, JsonVariables.json(new CircleCiCall("cancel", null, token.owner(),
          "An earlier attempt went through: CircleCI shows the job canceled", ClockUtil.getCurrentTime().toInstant())));
      return;
    }
    CircleCiAnswer answer = circleCi.cancel((String) execution.getVariable(WORKFLOW_ID), token.token());
    execution.setVariable(CIRCLECI_CALL, JsonVariables.json(new CircleCiCall(
        "cancel", answer.statusCode(), token.owner(), answer.message(), ClockUtil.getCurrentTime().toInstant())));
  }
}
