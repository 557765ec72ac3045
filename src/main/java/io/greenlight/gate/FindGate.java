package io.greenlight.gate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * {@code ${findGate}}: find the gate: the CircleCI approval job on hold, or the GitHub deployment protection rule the
 * webhook named.
 */
@Component("findGate")
public class FindGate implements JavaDelegate {

  private final GateStepsByKind kinds;

  public FindGate(GateStepsByKind kinds) {
    this.kinds = kinds;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    kinds.step(execution, GateSteps::find).execute(execution);
  }
}
