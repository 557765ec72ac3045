package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.GATE;

import io.greenlight.approval.GateKinds;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * {@code ${findGate}}: find the gate: the CircleCI approval job on hold, or the GitHub deployment protection rule the
 * webhook named.
 */
@Component("findGate")
public class FindGate implements JavaDelegate {

  private final GateKinds kinds;

  public FindGate(GateKinds kinds) {
    this.kinds = kinds;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    kinds.of(execution.getVariable(GATE)).find().execute(execution);
  }
}
