package io.greenlight.notify;

import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.Decision;
import io.greenlight.approval.GateKind;
import java.util.List;
import java.util.stream.Collectors;

/** How a request ended, in one short sentence for SMS and e-mail. */
final class OutcomeText {

  private OutcomeText() {}

  /** {@code stopped}: Greenlight stopped the deploy (cancelled the workflow, rejected the deployment); {@code gate}: its kind. */
  static String of(ApprovalStatus status, String what, String code, List<Decision> decisions, String failureReason,
                   boolean stopped, GateKind gate) {
    String approvers = decisions.stream().filter(d -> Decision.APPROVE.equals(d.decision())).map(Decision::user)
        .distinct().collect(Collectors.joining(", "));
    Decision rejection = decisions.stream().filter(d -> Decision.REJECT.equals(d.decision())).findFirst().orElse(null);
    String outcome = switch (status) {
      case APPROVED -> "approved by " + approvers + "; " + gate.systemName() + " was told to go on.";
      case REJECTED -> "rejected by " + (rejection == null ? "an approver" : rejection.user() + ": " + rejection.comment())
          + ". " + gate.stopped();
      case EXPIRED -> "nobody answered in time; " + lowerFirst(gate.stopped());
      case CANCELLED -> "decided in " + gate.systemName() + " itself; nothing more to do.";
      case FAILED -> "could not be handled: " + failureReason
          + (stopped ? " " + gate.stopped() : "");
      case PENDING -> "is still pending.";
    };
    String text = "Deploy " + what + " (" + code + "): " + outcome;
    return text.length() > 300 ? text.substring(0, 297) + "..." : text;
  }

  private static String lowerFirst(String sentence) {
    return Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
  }
}
