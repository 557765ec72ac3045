package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Re-reads the gate right before acting on it. If it is no longer on hold somebody decided in CircleCI
 * (or a previous attempt of ours already did): acting again would approve or cancel the wrong thing.
 */
final class GateCheck {

  private GateCheck() {}

  static void requireStillOnHold(CircleCiClient circleCi, CircleCiTokens tokens, DelegateExecution execution) {
    String workflowId = (String) execution.getVariable(WORKFLOW_ID);
    String approvalRequestId = (String) execution.getVariable(APPROVAL_REQUEST_ID);
    CircleCiJob gate = circleCi.listWorkflowJobs(workflowId, tokens.service().token()).stream()
        .filter(job -> approvalRequestId.equals(job.approvalRequestId()) || approvalRequestId.equals(job.id()))
        .findFirst()
        .orElse(null);
    if (gate == null) {
      throw CircleCiDelegate.businessOutcome(execution, CircleCiDelegate.GATE_DECIDED_IN_CIRCLECI,
          "The approval job is gone from workflow " + workflowId);
    }
    if (!gate.isOnHold()) {
      throw CircleCiDelegate.businessOutcome(execution, CircleCiDelegate.GATE_DECIDED_IN_CIRCLECI,
          "The approval job '" + gate.name() + "' was already decided in CircleCI (status " + gate.status() + ")");
    }
  }
}
