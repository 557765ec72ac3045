package io.greenlight.circleci;

import java.util.List;
import java.util.Set;

/**
 * Which job of a workflow is the gate Greenlight answers: the named {@code approval} job, or the
 * workflow's single approval job when no name was given.
 */
public sealed interface ApprovalGate {

  /** Statuses of an approval job whose upstream jobs are still running: it will be on hold soon. */
  Set<String> NOT_YET_ON_HOLD = Set.of("blocked", "queued", "not_running");

  /** The gate is on hold, waiting for an answer. */
  record OnHold(CircleCiJob job) implements ApprovalGate {}

  /** The gate exists but is not on hold yet: look again later. */
  record NotYetOnHold(String reason) implements ApprovalGate {}

  /** The gate was approved or cancelled in CircleCI before anybody was asked. */
  record AlreadyDecided(String reason) implements ApprovalGate {}

  /** There is no gate to answer. */
  record NotFound(String reason) implements ApprovalGate {}

  static ApprovalGate find(List<CircleCiJob> jobs, String projectSlug, String workflowId, String approvalJobName) {
    if (jobs.isEmpty()) {
      return new NotFound("CircleCI has no jobs for workflow " + workflowId
          + " (unknown workflow, or the token cannot see it)");
    }
    // The project decides who may ask and who approves: a workflow of another project is not this gate.
    String workflowProject = jobs.stream().map(CircleCiJob::projectSlug).filter(slug -> slug != null).findFirst().orElse(null);
    if (workflowProject != null && !workflowProject.equalsIgnoreCase(projectSlug)) {
      return new NotFound("Workflow " + workflowId + " belongs to project " + workflowProject + ", not " + projectSlug);
    }
    List<CircleCiJob> approvals = jobs.stream().filter(CircleCiJob::isApproval).toList();
    List<CircleCiJob> candidates = approvalJobName == null
        ? approvals
        : approvals.stream().filter(job -> approvalJobName.equals(job.name())).toList();
    List<CircleCiJob> onHold = candidates.stream().filter(CircleCiJob::isOnHold).toList();
    if (onHold.size() == 1) {
      return new OnHold(onHold.get(0));
    }
    String named = approvalJobName == null ? "" : " named '" + approvalJobName + "'";
    if (onHold.size() > 1) {
      return new NotFound("Workflow " + workflowId + " has " + onHold.size() + " approval jobs on hold "
          + names(onHold) + ": name one in approval_job");
    }
    if (candidates.stream().anyMatch(job -> NOT_YET_ON_HOLD.contains(job.status()))) {
      return new NotYetOnHold("The approval job" + named + " of workflow " + workflowId + " is not on hold yet "
          + names(candidates));
    }
    if (candidates.isEmpty()) {
      return new NotFound("Workflow " + workflowId + " has no approval job" + named
          + (approvals.isEmpty() ? "" : "; its approval jobs are " + names(approvals)));
    }
    return new AlreadyDecided("The approval job" + named + " of workflow " + workflowId
        + " was already decided in CircleCI " + names(candidates));
  }

  private static String names(List<CircleCiJob> jobs) {
    return jobs.stream().map(job -> "'" + job.name() + "' (" + job.status() + ")").toList().toString();
  }
}
