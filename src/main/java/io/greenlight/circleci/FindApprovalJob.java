package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.BRANCH;
import static io.greenlight.approval.ApprovalVariables.COMMIT;
import static io.greenlight.approval.ApprovalVariables.OVERRULED_CLAIMS;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.REQUESTER_NOT_IN_DIRECTORY;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.BusinessKey;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.OverruledClaim;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import io.greenlight.web.SafeText;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import io.greenlight.gate.GateOutcomes;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Find the gate", CircleCI's kind: the approval job the pipeline waits at, its {@code approval_request_id}, and from the
 * workflow's pipeline who asked and what is built.
 */
@Component("findApprovalJob")
public class FindApprovalJob extends CircleCiDelegate {

  private static final Logger log = LoggerFactory.getLogger(FindApprovalJob.class);

  private final Directory directory;

  public FindApprovalJob(CircleCiClient circleCi, CircleCiTokens tokens, Directory directory) {
    super(circleCi, tokens);
    this.directory = directory;
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
   * Who asked, and which branch and commit are built, as CircleCI knows them rather than as the pipeline says: its
   * config is in the hands of whoever pushes, who could otherwise name someone else as the requester (and approve
   * their own deploy) or another branch (and pick an easier routing rule). A claim CircleCI contradicts is kept; where
   * the pipeline claimed nothing, CircleCI's word is simply taken.
   */
  private void takeCircleCisWord(DelegateExecution execution, String circleCisProject, PipelineFacts circleCi) {
    // CircleCI's text is shown to approvers like the pipeline's: within the same limits.
    PipelineFacts facts = new PipelineFacts(SafeText.cleaned(circleCi.triggeredBy(), 100), SafeText.cleaned(circleCi.branch(), 255),
        SafeText.cleaned(circleCi.revision(), 64));
    RequestVariables request = RequestVariables.of(execution);
    // Intake may have set the pipeline's build link aside already.
    List<OverruledClaim> overruled = JsonVariables.list(execution, OVERRULED_CLAIMS, OverruledClaim.class);
    int claimsBefore = overruled.size();
    Instant now = ClockUtil.getCurrentTime().toInstant();
    String projectSlug = request.text(PROJECT_SLUG);
    // As CircleCI spells it: routing rules match the slug, and its spelling is not the pipeline's to choose.
    if (circleCisProject != null && !circleCisProject.equals(projectSlug)) {
      overruled.add(new OverruledClaim("project_slug", projectSlug, circleCisProject, now));
      execution.setVariable(PROJECT_SLUG, circleCisProject);
    }
    String requestedBy = request.text(REQUESTED_BY);
    if (!facts.triggeredBy().equalsIgnoreCase(requestedBy)) {
      if (requestedBy != null) {
        overruled.add(new OverruledClaim("requested_by", requestedBy, facts.triggeredBy(), now));
      }
      execution.setVariable(REQUESTED_BY, facts.triggeredBy());
    }
    if (facts.revision() != null) {
      String branch = request.text(BRANCH);
      if (!Objects.equals(branch, facts.branch())) {
        if (branch != null) {
          overruled.add(new OverruledClaim("branch", branch, facts.branch(), now));
        }
        execution.setVariable(BRANCH, facts.branch());
      }
      String commit = request.text(COMMIT);
      if (commit != null && !facts.revision().toLowerCase(Locale.ROOT).startsWith(commit.toLowerCase(Locale.ROOT))) {
        overruled.add(new OverruledClaim("commit", commit, facts.revision(), now));
      }
      execution.setVariable(COMMIT, facts.revision());
    }
    if (overruled.size() > claimsBefore) {
      log.warn("Request {}: CircleCI contradicts what the pipeline said of itself, and is believed: {}",
          execution.getProcessInstanceId(), overruled);
      execution.setVariable(OVERRULED_CLAIMS, JsonVariables.json(overruled));
    }
    if (directory.requester(facts.triggeredBy()).isEmpty()) {
      // A bot, or a person whose VCS login the directory does not list: nobody can be kept from approving as the requester.
      log.warn("Request {}: the requester '{}' is no directory user (add their login to 'logins'); nobody is excluded as the requester",
          execution.getProcessInstanceId(), facts.triggeredBy());
      execution.setVariable(REQUESTER_NOT_IN_DIRECTORY, facts.triggeredBy());
    }
  }
}
