package io.greenlight.github;

import io.greenlight.approval.GateKinds;
import io.greenlight.gate.GateSteps;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A GitHub gate: a custom deployment protection rule, approved or rejected through the run's callback. */
@Component
class GitHubGateSteps implements GateSteps {

  private final FindGitHubGate find;
  private final ApproveInGitHub approve;
  private final RejectInGitHub reject;

  GitHubGateSteps(FindGitHubGate find, ApproveInGitHub approve, RejectInGitHub reject) {
    this.find = find;
    this.approve = approve;
    this.reject = reject;
  }

  @Override
  public String kind() {
    return GateKinds.GITHUB;
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
    return reject;
  }
}
