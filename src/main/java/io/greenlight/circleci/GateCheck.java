package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Re-reads the gate right before acting on it, in the same job as the call, so a retried job never acts
 * twice. If the gate is no longer on hold, either an earlier attempt of this very job went through (CircleCI
 * took the call but Greenlight never saw the answer), or somebody decided in CircleCI itself.
 */
final class GateCheck {

  enum Gate { ON_HOLD, DONE_BY_EARLIER_ATTEMPT }

  private GateCheck() {}

  /**
   * @param statusWeCause the job status our call leads to ({@code success} after approving, {@code canceled} after cancelling)
   */
  static Gate beforeActing(CircleCiClient circleCi, CircleCiTokens tokens, DelegateExecution execution, String statusWeCause) {
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
    if (gate.isOnHold()) {
      return Gate.ON_HOLD;
    }
    if (statusWeCause.equals(gate.status()) && anEarlierAttemptFailed(execution)) {
      return Gate.DONE_BY_EARLIER_ATTEMPT;
    }
    throw CircleCiDelegate.businessOutcome(execution, CircleCiDelegate.GATE_DECIDED_IN_CIRCLECI,
        "The approval job '" + gate.name() + "' was already decided in CircleCI (status " + gate.status() + ")");
  }

  private static boolean anEarlierAttemptFailed(DelegateExecution execution) {
    // The job belongs to the execution that reached the task; with boundary events the task runs in a child of it.
    Job job = execution.getProcessEngineServices().getManagementService().createJobQuery()
        .processInstanceId(execution.getProcessInstanceId()).activityId(execution.getCurrentActivityId()).singleResult();
    return job != null && job.getExceptionMessage() != null;
  }
}
