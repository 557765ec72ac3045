package io.greenlight.gate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * {@code ${cancelGate}}: stop the deploy after a rejection, an expiry or when nobody can approve: cancel the CircleCI
 * workflow, or reject GitHub's protection rule.
 */
@Component("cancelGate")
public class CancelGate implements JavaDelegate {

  private final GateStepsByKind kinds;

  public CancelGate(GateStepsByKind kinds) {
    this.kinds = kinds;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    kinds.step(execution, GateSteps::cancel).execute(execution);
  }
}
