package io.greenlight.github;

import io.greenlight.approval.Decision;
import io.greenlight.approval.PublicLinks;
import io.greenlight.answer.DecisionRules;
import io.greenlight.gate.CallAttempts;
import io.greenlight.gate.OutcomeComments;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * "Approve the gate", GitHub's kind: once the recorded answers are confirmed to approve, the App approves its
 * protection rule on the run's environment, saying who approved and on which channel (GitHub shows it on the run).
 */
@Component("approveInGitHub")
public class ApproveInGitHub extends GitHubDelegate {

  private final DecisionRules rules;
  private final PublicLinks links;

  public ApproveInGitHub(GitHubClient github, CallAttempts circleCiCallAttempts, DecisionRules rules, PublicLinks links) {
    super(github, circleCiCallAttempts);
    this.rules = rules;
    this.links = links;
  }

  @Override
  public void execute(DelegateExecution execution) {
    List<Decision> decisions = rules.confirmedApprovals(execution);
    review(execution, "approved", "Approved in Greenlight by " + OutcomeComments.approvers(decisions) + ": "
        + links.history(execution.getProcessInstanceId()));
  }
}
