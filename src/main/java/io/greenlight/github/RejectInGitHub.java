package io.greenlight.github;

import io.greenlight.approval.PublicLinks;
import io.greenlight.gate.CallAttempts;
import io.greenlight.gate.OutcomeComments;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * "Stop the deploy", GitHub's kind: the App rejects its protection rule on the run's environment, with the reason:
 * who rejected and why, the expiry, or why nobody could approve. GitHub then fails the deployment job.
 */
@Component("rejectInGitHub")
public class RejectInGitHub extends GitHubDelegate {

  private final PublicLinks links;

  public RejectInGitHub(GitHubClient github, CallAttempts circleCiCallAttempts, PublicLinks links) {
    super(github, circleCiCallAttempts);
    this.links = links;
  }

  @Override
  public void execute(DelegateExecution execution) {
    review(execution, "rejected", OutcomeComments.stopReason(execution) + " " + links.history(execution.getProcessInstanceId()));
  }
}
