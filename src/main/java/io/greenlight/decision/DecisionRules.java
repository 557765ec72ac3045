package io.greenlight.decision;

import io.greenlight.approval.Decision;
import io.greenlight.directory.Directory;

/**
 * The rules every answer obeys, whichever channel it comes through: a known decision, a reason to
 * reject, only candidates of the request, and never approval of one's own deployment.
 */
public class DecisionRules {

  public static final int LONGEST_COMMENT = 1000;

  private final Directory directory;

  public DecisionRules(Directory directory) {
    this.directory = directory;
  }

  public void check(String userId, String approverGroup, String requestedBy, String decision, String comment) {
    if (!Decision.APPROVE.equals(decision) && !Decision.REJECT.equals(decision)) {
      throw new DecisionRefusedException("invalid_decision", "decision", "The decision must be 'approve' or 'reject'.");
    }
    if (Decision.REJECT.equals(decision) && (comment == null || comment.isBlank())) {
      throw new DecisionRefusedException("comment_required", "comment", "A rejection needs a reason in the comment.");
    }
    if (comment != null && comment.length() > LONGEST_COMMENT) {
      throw new DecisionRefusedException("comment_too_long", "comment",
          "The comment is longer than " + LONGEST_COMMENT + " characters.");
    }
    if (userId == null || !directory.isMember(userId, approverGroup)) {
      throw new DecisionRefusedException("not_an_approver", null,
          (userId == null ? "An unknown user" : userId) + " is not an approver of this request (group " + approverGroup + ").");
    }
    if (Decision.APPROVE.equals(decision) && directory.isRequester(userId, requestedBy)) {
      throw new DecisionRefusedException("own_deployment", null, "Nobody may approve their own deployment.");
    }
  }
}
