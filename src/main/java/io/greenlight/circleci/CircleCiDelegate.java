package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.CIRCLECI_CALL;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;

import io.greenlight.approval.CircleCiCall;
import io.greenlight.approval.JsonVariables;
import java.util.function.Function;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * A step that talks to CircleCI. A refusal that no retry will change becomes the business outcome
 * {@value #CIRCLECI_REFUSED} (the request fails, with the reason); everything else propagates, so the
 * engine retries and finally raises an incident.
 */
abstract class CircleCiDelegate implements JavaDelegate {

  static final String CIRCLECI_REFUSED = "CIRCLECI_REFUSED";
  static final String GATE_NOT_FOUND = "GATE_NOT_FOUND";
  static final String GATE_DECIDED_IN_CIRCLECI = "GATE_DECIDED_IN_CIRCLECI";

  protected final CircleCiClient circleCi;
  protected final CircleCiTokens tokens;

  CircleCiDelegate(CircleCiClient circleCi, CircleCiTokens tokens) {
    this.circleCi = circleCi;
    this.tokens = tokens;
  }

  @Override
  public final void execute(DelegateExecution execution) {
    try {
      run(execution);
    } catch (CircleCiRefusedException refused) {
      throw businessOutcome(execution, CIRCLECI_REFUSED, refused.getMessage());
    }
  }

  protected abstract void run(DelegateExecution execution);

  /**
   * Carries the outcome to the gate: re-reads it, makes {@code call} when it is still on hold, and records the
   * call in {@code circleciCall}. {@code statusWeCause} is the job status the call leads to.
   */
  protected void actOnGate(DelegateExecution execution, String action, String statusWeCause,
                           Function<String, CircleCiAnswer> call) {
    CircleCiTokens.OwnedToken token = tokens.service();
    CircleCiCall made;
    if (GateCheck.beforeActing(circleCi, tokens, execution, statusWeCause) == GateCheck.Gate.DONE_BY_EARLIER_ATTEMPT) {
      made = new CircleCiCall(action, null, token.owner(),
          "An earlier attempt went through: CircleCI shows the job " + statusWeCause, ClockUtil.getCurrentTime().toInstant());
    } else {
      CircleCiAnswer answer = call.apply(token.token());
      made = new CircleCiCall(action, answer.statusCode(), token.owner(), answer.message(), ClockUtil.getCurrentTime().toInstant());
    }
    execution.setVariable(CIRCLECI_CALL, JsonVariables.json(made));
  }

  static BpmnError businessOutcome(DelegateExecution execution, String errorCode, String reason) {
    execution.setVariable(FAILURE_REASON, reason);
    return new BpmnError(errorCode, reason);
  }
}
