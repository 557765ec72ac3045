package io.greenlight.gitlab;

import io.greenlight.approval.PublicLinks;
import io.greenlight.approval.RequestVariables;
import io.greenlight.gate.CallAttempts;
import io.greenlight.gate.OutcomeComments;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * "Stop the deploy", GitLab's kind: the bot rejects the deployment with the reason (who rejected and why, the expiry, or
 * why nobody could approve), which drops the deploy job for good, then cancels the pipeline so that nothing after it
 * runs. Cancelling alone would leave the manual deploy job for anyone to run later; GitLab answers a cancel 200 whatever
 * the pipeline's state, so a repeat is harmless.
 */
@Component("rejectInGitLab")
public class RejectInGitLab extends GitLabDelegate {

  public RejectInGitLab(GitLabClient gitlab, CallAttempts circleCiCallAttempts, PublicLinks links) {
    super(gitlab, circleCiCallAttempts, links);
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    if (request.number(GitLabVariables.DEPLOYMENT_ID) != null) {
      decide(execution, "rejected", OutcomeComments.stopReason(execution));
    }
    long pipelineId = pipelineId(request);
    int code = gitlab.cancelPipeline(projectPath(request), pipelineId);
    record(execution, new GitLabCall("cancel", code, "GitLab cancelled pipeline " + pipelineId, now()));
  }
}
