package io.greenlight.circleci;

import io.greenlight.approval.RequestVariables;
import io.greenlight.gate.CallAttempts;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import java.util.Optional;
import io.greenlight.gate.GateOutcomes;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Re-reads the gate right before acting on it, in the same job as the call, so a retried job never acts
 * twice. If the gate is no longer on hold, either an earlier attempt of this very job went through (CircleCI
 * took the call but Greenlight never saw the answer, or died before recording it), or somebody decided in
 * CircleCI itself.
 */
final class GateCheck {

  /** The gate is on hold ({@code earlierAttemptBy} empty), or an earlier attempt, with that owner's token, did the job. */
  record Gate(Optional<String> earlierAttemptBy) {
    boolean onHold() {
      return earlierAttemptBy.isEmpty();
    }
  }

  private GateCheck() {}

  /**
   * @param action the call about to be made ({@code approve}, {@code cancel})
   * @param statusWeCause the job status that call leads to ({@code success} after approving, {@code canceled} after cancelling)
   */
  static Gate beforeActing(CircleCiClient circleCi, CircleCiTokens tokens, CallAttempts attempts, DelegateExecution execution,
                           String action, String statusWeCause) {
    String workflowId = RequestVariables.of(execution).text(WORKFLOW_ID);
    String approvalRequestId = RequestVariables.of(execution).text(APPROVAL_REQUEST_ID);
    CircleCiJob gate = circleCi.listWorkflowJobs(workflowId, tokens.service().token()).stream()
        .filter(job -> approvalRequestId.equals(job.approvalRequestId()) || approvalRequestId.equals(job.id()))
        .findFirst()
        .orElse(null);
    if (gate == null) {
      throw GateOutcomes.decidedElsewhere(execution,
          "The approval job is gone from workflow " + workflowId);
    }
    if (gate.isOnHold()) {
      return new Gate(Optional.empty());
    }
    Optional<String> earlierAttempt = attempts.attemptedWith(execution.getProcessInstanceId(), action);
    if (statusWeCause.equals(gate.status()) && earlierAttempt.isPresent()) {
      return new Gate(earlierAttempt);
    }
    throw GateOutcomes.decidedElsewhere(execution,
        "The approval job '" + gate.name() + "' was already decided in CircleCI (status " + gate.status() + ")");
  }
}
