package io.greenlight.circleci;

import io.greenlight.gate.GateOutcomes;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * A step that talks to CircleCI. A refusal that no retry will change becomes the business outcome "refused"
 * ({@link GateOutcomes#refused}: the request fails, with the reason); everything else propagates, so the engine retries
 * and finally raises an incident.
 */
abstract class CircleCiDelegate implements JavaDelegate {

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
      throw GateOutcomes.refused(execution, refused.getMessage());
    }
  }

  protected abstract void run(DelegateExecution execution);
}
