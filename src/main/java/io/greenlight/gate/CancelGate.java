package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.GATE;

import io.greenlight.approval.GateKinds;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * {@code ${cancelGate}}: stop the deploy after a rejection, an expiry or when nobody can approve: cancel the CircleCI
 * workflow, or reject GitHub's protection rule.
 */
@Component("cancelGate")
public class CancelGate implements JavaDelegate {

  private final GateKinds kinds;

  public CancelGate(GateKinds kinds) {
    this.kinds = kinds;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    kinds.of(execution.getVariable(GATE)).stop().execute(execution);
  }
}
