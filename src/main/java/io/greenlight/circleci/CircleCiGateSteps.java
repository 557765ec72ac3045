package io.greenlight.circleci;

import io.greenlight.approval.GateKinds;
import io.greenlight.gate.GateSteps;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A CircleCI gate: the approval job is found in the workflow, approved, or its workflow cancelled. */
@Component
class CircleCiGateSteps implements GateSteps {

  private final FindApprovalJob find;
  private final ApproveInCircleCi approve;
  private final CancelWorkflow cancel;

  CircleCiGateSteps(FindApprovalJob find, ApproveInCircleCi approve, CancelWorkflow cancel) {
    this.find = find;
    this.approve = approve;
    this.cancel = cancel;
  }

  @Override
  public String kind() {
    return GateKinds.CIRCLECI;
  }

  @Override
  public JavaDelegate find() {
    return find;
  }

  @Override
  public JavaDelegate approve() {
    return approve;
  }

  @Override
  public JavaDelegate cancel() {
    return cancel;
  }
}
