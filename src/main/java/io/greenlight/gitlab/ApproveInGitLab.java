package io.greenlight.gitlab;

import io.greenlight.answer.DecisionRules;
import io.greenlight.approval.PublicLinks;
import io.greenlight.approval.RequestVariables;
import io.greenlight.gate.CallAttempts;
import io.greenlight.gate.GateOutcomes;
import io.greenlight.gate.OutcomeComments;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * "Approve the gate", GitLab's kind: once the recorded answers are confirmed to approve, the bot approves the deployment
 * (the comment names who approved and on which channel, and links the history), then plays the deploy job, which GitLab
 * leaves waiting after an approval. GitLab answers a play of a job that is no longer manual "Unplayable Job" whatever the
 * reason: the job's status tells an earlier attempt (or a run started in GitLab) from rules still unmet.
 */
@Component("approveInGitLab")
public class ApproveInGitLab extends GitLabDelegate {

  /** A deploy job in these has been started: the deploy goes on. */
  private static final Set<String> STARTED = Set.of("created", "waiting_for_resource", "preparing", "pending", "running",
      "success");

  private final DecisionRules rules;

  public ApproveInGitLab(GitLabClient gitlab, CallAttempts circleCiCallAttempts, PublicLinks links, DecisionRules rules) {
    super(gitlab, circleCiCallAttempts, links);
    this.rules = rules;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String approvers = OutcomeComments.approvers(rules.confirmedApprovals(execution));
    decide(execution, "approved", "Approved by " + approvers + " in Greenlight:");
    RequestVariables request = RequestVariables.of(execution);
    long jobId = request.number(GitLabVariables.JOB_ID);
    call(execution, "gitlab-play", () -> {
      int code = gitlab.play(projectPath(request), jobId);
      record(execution, new GitLabCall("play", code, "GitLab runs deploy job " + jobId, now()));
    }, (refused, attemptedBefore) -> {
      if (!refused.unplayableJob()) {
        throw refused;
      }
      String status = gitlab.jobStatus(projectPath(request), jobId);
      if (STARTED.contains(status)) {
        record(execution, new GitLabCall("play", null, (attemptedBefore ? "An earlier attempt went through" : "Run in GitLab "
            + "meanwhile") + ": GitLab shows deploy job " + jobId + " " + status, now()));
      } else if ("manual".equals(status)) {
        // The bot's approval did not satisfy the environment's rules: a setting to fix in GitLab (docs/gitlab.md).
        throw new GitLabUnavailableException("GitLab still holds deploy job " + jobId + " for approvals after the bot's "
            + "approval: the bot's one approval must satisfy an approval rule of the protected environment (docs/gitlab.md)");
      } else {
        throw GateOutcomes.decidedElsewhere(execution, "Deploy job " + jobId + " is " + status + " in GitLab: stopped "
            + "there after Greenlight's approval");
      }
    });
  }
}
