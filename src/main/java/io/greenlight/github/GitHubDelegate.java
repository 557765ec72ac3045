package io.greenlight.github;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.GITHUB_CALL;
import static io.greenlight.approval.ApprovalVariables.GITHUB_CALLBACK_URL;
import static io.greenlight.approval.ApprovalVariables.GITHUB_INSTALLATION_ID;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.gate.CallAttempts;
import io.greenlight.gate.GateOutcomes;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * A step that carries the outcome to GitHub: reviews the App's protection rule on the run's environment, once. The
 * attempt is committed before the call; GitHub offers no way to read a rule's review back, so a job that runs again
 * after a crash calls again, and GitHub's "nothing to review" (422) then means the earlier attempt went through. A
 * 422 with no earlier attempt means GitHub stopped waiting on its own (the run was cancelled): decided elsewhere.
 */
abstract class GitHubDelegate implements JavaDelegate {

  private final GitHubClient github;
  private final CallAttempts attempts;

  GitHubDelegate(GitHubClient github, CallAttempts attempts) {
    this.github = github;
    this.attempts = attempts;
  }

  protected void review(DelegateExecution execution, String state, String comment) {
    RequestVariables request = RequestVariables.of(execution);
    String requestId = execution.getProcessInstanceId();
    String action = "github-" + state;
    long installationId = ((Number) execution.getVariable(GITHUB_INSTALLATION_ID)).longValue();
    String token = github.installationToken(installationId);
    // Recorded right before the review goes out (not before the token): only then may GitHub have taken it.
    boolean attemptedBefore = attempts.attemptedWith(requestId, action).isPresent();
    attempts.recordBeforeCalling(requestId, action, "github-app");
    try {
      int status = github.review(request.text(GITHUB_CALLBACK_URL), request.text(PROJECT_SLUG).substring("gh/".length()),
          installationId, token, request.text(APPROVAL_JOB), state, comment);
      record(execution, new GitHubCall(state, comment, status, "GitHub took the review", now()));
    } catch (GitHubRefusedException refused) {
      if (refused.statusCode() != 422) {
        throw GateOutcomes.refused(execution, refused.getMessage());
      }
      if (attemptedBefore) {
        record(execution, new GitHubCall(state, comment, null,
            "An earlier attempt went through: GitHub no longer waits for this rule", now()));
        return;
      }
      throw GateOutcomes.decidedElsewhere(execution, "GitHub no longer waits for Greenlight on environment '"
          + request.text(APPROVAL_JOB) + "' of run " + request.text(WORKFLOW_ID) + " (cancelled or decided in GitHub)");
    } catch (RetryAfterException | GitHubUnavailableException failed) {
      // A rate limit or a refused token: GitHub did not take this review, so it is no earlier attempt for the retry.
      if (failed instanceof RetryAfterException || ((GitHubUnavailableException) failed).notTaken()) {
        attempts.forget(requestId, action);
      }
      throw failed;
    }
  }

  private static void record(DelegateExecution execution, GitHubCall call) {
    execution.setVariable(GITHUB_CALL, JsonVariables.json(call));
  }

  private static java.time.Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
