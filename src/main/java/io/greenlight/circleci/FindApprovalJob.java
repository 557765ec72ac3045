package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.BusinessKey;
import io.greenlight.approval.OverruledClaim;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import java.util.ArrayList;
import java.util.List;
import io.greenlight.gate.GateOutcomes;
import io.greenlight.gate.SystemsWord;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * "Find the gate", CircleCI's kind: the approval job the pipeline waits at, its {@code approval_request_id}, and from the
 * workflow's pipeline who asked and what is built.
 */
@Component("findApprovalJob")
public class FindApprovalJob extends CircleCiDelegate {

  private final SystemsWord circleCisWord;

  public FindApprovalJob(CircleCiClient circleCi, CircleCiTokens tokens, Directory directory) {
    super(circleCi, tokens);
    this.circleCisWord = new SystemsWord("CircleCI", directory);
  }

  @Override
  protected void run(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    String workflowId = request.text(WORKFLOW_ID);
    String approvalJob = request.text(APPROVAL_JOB);
    var jobs = circleCi.listWorkflowJobs(workflowId, tokens.service().token());
    ApprovalGate gate = ApprovalGate.find(jobs, request.text(PROJECT_SLUG), workflowId, approvalJob);
    if (gate instanceof ApprovalGate.NotFound notFound) {
      throw GateOutcomes.notFound(execution, notFound.reason());
    }
    if (gate instanceof ApprovalGate.AlreadyDecided decided) {
      throw GateOutcomes.decidedElsewhere(execution, decided.reason());
    }
    if (gate instanceof ApprovalGate.NotYetOnHold notYet) {
      throw new CircleCiUnavailableException(notYet.reason());
    }
    CircleCiJob job = ((ApprovalGate.OnHold) gate).job();
    execution.setVariable(APPROVAL_REQUEST_ID, job.approvalRequestId());
    if (approvalJob == null) {
      execution.setVariable(APPROVAL_JOB, job.name());
      execution.setProcessBusinessKey(BusinessKey.of(request.text(PROJECT_SLUG), workflowId, job.name()));
    }
    PipelineFacts facts = circleCi.pipelineOf(workflowId, tokens.service().token())
        // A blank login is no word either (CircleCI sends one for some scheduled and API-triggered pipelines).
        .filter(pipeline -> pipeline.triggeredBy() != null && !pipeline.triggeredBy().isBlank())
        // Without CircleCI's word the requester cannot be confirmed: not a request to go on with, but worth a retry.
        .orElseThrow(() -> new CircleCiUnavailableException("CircleCI does not say who triggered the pipeline of workflow "
            + workflowId + ", so the requester cannot be confirmed"));
    takeCircleCisWord(execution, job.projectSlug(), facts);
  }

  /**
   * CircleCI's word on who asked and what is built ({@link SystemsWord}), and on the project: its slug as CircleCI spells
   * it, since routing rules match the slug and its spelling is not the pipeline's to choose.
   */
  private void takeCircleCisWord(DelegateExecution execution, String circleCisProject, PipelineFacts circleCi) {
    String projectSlug = RequestVariables.of(execution).text(PROJECT_SLUG);
    List<OverruledClaim> project = new ArrayList<>();
    if (circleCisProject != null && !circleCisProject.equals(projectSlug)) {
      project.add(new OverruledClaim("project_slug", projectSlug, circleCisProject, ClockUtil.getCurrentTime().toInstant()));
      execution.setVariable(PROJECT_SLUG, circleCisProject);
    }
    circleCisWord.take(execution, new SystemsWord.Facts(circleCi.triggeredBy(), circleCi.branch(), circleCi.revision()), project);
  }
}
