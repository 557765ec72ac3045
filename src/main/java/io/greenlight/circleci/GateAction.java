package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.CIRCLECI_CALL;

import io.greenlight.approval.JsonVariables;
import io.greenlight.gate.CallAttempts;
import java.time.Instant;
import java.util.function.Function;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * A step that carries the outcome to the gate (approve, cancel): re-reads the gate, commits that it is about to call,
 * makes the call, and records it in {@code circleciCall}. A call made with an approver's own token that CircleCI
 * refuses (401, 403, or 404 because that user cannot see the project) is made once more with the service token, and
 * the record says so.
 */
abstract class GateAction extends CircleCiDelegate {

  private final CallAttempts attempts;

  GateAction(CircleCiClient circleCi, CircleCiTokens tokens, CallAttempts attempts) {
    super(circleCi, tokens);
    this.attempts = attempts;
  }

  /**
   * @param statusWeCause the job status the call leads to
   * @param token the token to call with first
   * @param call the call, given a token
   */
  protected void act(DelegateExecution execution, String action, String statusWeCause, CircleCiTokens.OwnedToken token,
                     Function<String, CircleCiAnswer> call) {
    String requestId = execution.getProcessInstanceId();
    GateCheck.Gate gate = GateCheck.beforeActing(circleCi, tokens, attempts, execution, action, statusWeCause);
    if (!gate.onHold()) {
      record(execution, new CircleCiCall(action, null, gate.earlierAttemptBy().get(),
          "An earlier attempt went through: CircleCI shows the job " + statusWeCause, now(), null, null));
      return;
    }
    attempts.recordBeforeCalling(requestId, action, token.owner());
    try {
      CircleCiAnswer answer = call.apply(token.token());
      record(execution, new CircleCiCall(action, answer.statusCode(), token.owner(), answer.message(), now(), null, null));
    } catch (RuntimeException refused) {
      Integer refusedStatus = personalTokenRefusal(token, refused);
      if (refusedStatus == null) {
        throw refused;
      }
      // Refused before anything happened in CircleCI: the service token may make the same call once.
      CircleCiTokens.OwnedToken service = tokens.service();
      attempts.recordBeforeCalling(requestId, action, service.owner());
      CircleCiAnswer answer = call.apply(service.token());
      record(execution, new CircleCiCall(action, answer.statusCode(), service.owner(), answer.message(), now(),
          token.owner(), refusedStatus));
    }
  }

  /** The status with which CircleCI refused an approver's own token, or null when that is not what happened. */
  private static Integer personalTokenRefusal(CircleCiTokens.OwnedToken token, RuntimeException failure) {
    if (token.isService()) {
      return null;
    }
    if (failure instanceof CircleCiTokenRefusedException refused) {
      return refused.statusCode();
    }
    if (failure instanceof CircleCiRefusedException refused && refused.statusCode() == 404) {
      return 404;
    }
    return null;
  }

  private static void record(DelegateExecution execution, CircleCiCall call) {
    execution.setVariable(CIRCLECI_CALL, JsonVariables.json(call));
  }

  private static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
