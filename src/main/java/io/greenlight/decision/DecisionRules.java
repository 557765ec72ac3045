package io.greenlight.decision;

import io.greenlight.approval.Decision;
import java.util.Collection;
import java.util.List;
import io.greenlight.directory.Directory;
import io.greenlight.web.SafeText;

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

  /**
   * @param candidateGroups the groups whose members may answer (the approver group, and the escalation group once asked)
   * @param approvedBy who has approved already (a quorum needs distinct approvers)
   */
  public void check(String userId, List<String> candidateGroups, String requestedBy, String decision, String comment,
                    Collection<String> approvedBy) {
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
    if (!SafeText.isLines(comment)) {
      throw new DecisionRefusedException("invalid_comment", "comment",
          "The comment has control characters or bidirectional overrides; write it as plain text.");
    }
    if (userId == null || candidateGroups.stream().noneMatch(group -> directory.isMember(userId, group))) {
      throw new DecisionRefusedException("not_an_approver", null,
          (userId == null ? "An unknown user" : userId) + " is not an approver of this request (" + String.join(", ", candidateGroups) + ").");
    }
    if (Decision.APPROVE.equals(decision) && directory.isRequester(userId, requestedBy)) {
      throw new DecisionRefusedException("own_deployment", null, "Nobody may approve their own deployment.");
    }
    if (Decision.APPROVE.equals(decision) && approvedBy.contains(userId)) {
      throw new DecisionRefusedException("already_approved", null,
          "You approved already; this request needs approvals from different people.");
    }
  }
}
