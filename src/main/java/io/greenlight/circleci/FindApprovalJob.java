package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.BusinessKey;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** "Find approval job in CircleCI": the gate the pipeline waits at, and its {@code approval_request_id}. */
public class FindApprovalJob extends CircleCiDelegate {

  public FindApprovalJob(CircleCiClient circleCi, CircleCiTokens tokens) {
    super(circleCi, tokens);
  }

  @Override
  protected void run(DelegateExecution execution) {
    String workflowId = (String) execution.getVariable(WORKFLOW_ID);
    String approvalJob = (String) execution.getVariable(APPROVAL_JOB);
    var jobs = circleCi.listWorkflowJobs(workflowId, tokens.service().token());
    ApprovalGate gate = ApprovalGate.find(jobs, (String) execution.getVariable(PROJECT_SLUG), workflowId, approvalJob);
    if (gate instanceof ApprovalGate.NotFound notFound) {
      throw businessOutcome(execution, GATE_NOT_FOUND, notFound.reason());
    }
    if (gate instanceof ApprovalGate.AlreadyDecided decided) {
      throw businessOutcome(execution, GATE_DECIDED_IN_CIRCLECI, decided.reason());
    }
    if (gate instanceof ApprovalGate.NotYetOnHold notYet) {
      throw new CircleCiUnavailableException(notYet.reason());
    }
    CircleCiJob job = ((ApprovalGate.OnHold) gate).job();
    execution.setVariable(APPROVAL_REQUEST_ID, job.approvalRequestId());
    if (approvalJob == null) {
      execution.setVariable(APPROVAL_JOB, job.name());
      execution.setProcessBusinessKey(BusinessKey.of((String) execution.getVariable(PROJECT_SLUG), workflowId, job.name()));
    }
  }
}
