package io.greenlight.github;

import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.EXPIRES_AT;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;

import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.PublicLinks;
import io.greenlight.approval.RequestVariables;
import io.greenlight.gate.CallAttempts;
import java.util.List;
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
    review(execution, "rejected", reason(execution) + " " + links.history(execution.getProcessInstanceId()));
  }

  private static String reason(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    List<Decision> decisions = JsonVariables.list(execution, DECISIONS, Decision.class);
    return decisions.stream().filter(decision -> Decision.REJECT.equals(decision.decision())).findFirst()
        .map(rejection -> "Rejected in Greenlight by " + rejection.user() + " (" + rejection.channel() + "): "
            + rejection.comment())
        .orElseGet(() -> request.text(FAILURE_REASON) != null
            ? "Greenlight could not ask anyone: " + request.text(FAILURE_REASON)
            : "Expired in Greenlight: nobody approved by " + request.instant(EXPIRES_AT) + ".");
  }
}
