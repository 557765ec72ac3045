package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.EXPIRES_AT;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;

import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * What a CI system shows beside Greenlight's outcome (GitHub's review comment, GitLab's approval comment): who approved
 * and on which channel, or why the deploy was stopped.
 */
public final class OutcomeComments {

  private OutcomeComments() {}

  /** {@code alice (sms), bob (api)}: who approved, each once, on the channel they answered on. */
  public static String approvers(List<Decision> confirmedApprovals) {
    return confirmedApprovals.stream().filter(decision -> Decision.APPROVE.equals(decision.decision()))
        .map(decision -> decision.user() + " (" + decision.channel() + ")").distinct().collect(Collectors.joining(", "));
  }

  /** Who rejected and why, the expiry, or why nobody could be asked. */
  public static String stopReason(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    List<Decision> decisions = JsonVariables.list(execution, DECISIONS, Decision.class);
    return decisions.stream().filter(decision -> Decision.REJECT.equals(decision.decision())).findFirst()
        .map(rejection -> "Rejected in Greenlight by " + rejection.user() + " (" + rejection.channel() + "): "
            + rejection.comment())
        .orElseGet(() -> request.text(FAILURE_REASON) != null
            ? "Greenlight could not ask anyone: " + request.text(FAILURE_REASON)
            : "Expired in Greenlight: nobody approved by " + request.instant(EXPIRES_AT) + ".");
  }

  /**
   * {@code text} and then {@code link}, within {@code limit} characters: the text is shortened (ending with "…") so that
   * the link, which leads to the whole story, is always there.
   */
  public static String within(int limit, String text, String link) {
    String whole = text + " " + link;
    if (whole.length() <= limit) {
      return whole;
    }
    int room = Math.max(0, limit - link.length() - 2);
    return text.substring(0, Math.min(text.length(), room)).stripTrailing() + "… " + link;
  }
}
