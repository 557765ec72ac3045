package io.greenlight.gate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** {@code ${approveGate}}: let the deploy go on: approve the CircleCI job, or approve GitHub's protection rule. */
@Component("approveGate")
public class ApproveGate implements JavaDelegate {

  private final GateStepsByKind kinds;

  public ApproveGate(GateStepsByKind kinds) {
    this.kinds = kinds;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    kinds.step(execution, GateSteps::approve).execute(execution);
  }
}
