package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.GATE;

import io.greenlight.approval.GateKinds;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** {@code ${approveGate}}: let the deploy go on: approve the CircleCI job, or approve GitHub's protection rule. */
@Component("approveGate")
public class ApproveGate implements JavaDelegate {

  private final GateKinds kinds;

  public ApproveGate(GateKinds kinds) {
    this.kinds = kinds;
  }

  @Override
  public void execute(DelegateExecution execution) throws Exception {
    kinds.of(execution.getVariable(GATE)).approve().execute(execution);
  }
}
