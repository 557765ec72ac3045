package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;

import io.greenlight.gate.GateSteps;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * A step that talks to CircleCI. A refusal that no retry will change becomes the business outcome
 * {@value #CIRCLECI_REFUSED} (the request fails, with the reason); everything else propagates, so the
 * engine retries and finally raises an incident.
 */
abstract class CircleCiDelegate implements JavaDelegate {

  static final String CIRCLECI_REFUSED = GateSteps.GATE_REFUSED;
  static final String GATE_NOT_FOUND = GateSteps.GATE_NOT_FOUND;
  static final String GATE_DECIDED_IN_CIRCLECI = GateSteps.GATE_DECIDED_ELSEWHERE;

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

  static BpmnError businessOutcome(DelegateExecution execution, String errorCode, String reason) {
    execution.setVariable(FAILURE_REASON, reason);
    return new BpmnError(errorCode, reason);
  }
}
