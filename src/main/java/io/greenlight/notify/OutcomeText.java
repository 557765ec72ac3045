package io.greenlight.notify;

import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.CircleCiCall;
import io.greenlight.approval.Decision;
import java.util.List;
import java.util.stream.Collectors;

/** How a request ended, in one short sentence for SMS and e-mail. */
final class OutcomeText {

  private OutcomeText() {}

  /** {@code circleCi}: the call Greenlight made to the gate, if any. */
  static String of(ApprovalStatus status, String what, String code, List<Decision> decisions, String failureReason,
                   CircleCiCall circleCi) {
    String approvers = decisions.stream().filter(d -> Decision.APPROVE.equals(d.decision())).map(Decision::user)
        .distinct().collect(Collectors.joining(", "));
    Decision rejection = decisions.stream().filter(d -> Decision.REJECT.equals(d.decision())).findFirst().orElse(null);
    String outcome = switch (status) {
      case APPROVED -> "approved by " + approvers + "; CircleCI was told to go on.";
      case REJECTED -> "rejected by " + (rejection == null ? "an approver" : rejection.user() + ": " + rejection.comment())
          + ". The workflow was cancelled.";
      case EXPIRED -> "nobody answered in time; the workflow was cancelled.";
      case CANCELLED -> "decided in CircleCI itself; nothing more to do.";
      case FAILED -> "could not be handled: " + failureReason
          + (circleCi != null && "cancel".equals(circleCi.action()) ? " The workflow was cancelled." : "");
      case PENDING -> "is still pending.";
    };
    String text = "Deploy " + what + " (" + code + "): " + outcome;
    return text.length() > 300 ? text.substring(0, 297) + "..." : text;
  }
}
