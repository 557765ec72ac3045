package io.greenlight.approval;

import java.util.List;

/** What the answers recorded so far say: whether one rejected, and who approved ({@link ApprovalRules} counts them). */
public final class Answers {

  private Answers() {}

  public static boolean rejected(List<Decision> decisions) {
    return decisions.stream().anyMatch(d -> Decision.REJECT.equals(d.decision()));
  }

  /** Who approved, in order. */
  public static List<String> approvers(List<Decision> decisions) {
    return decisions.stream().filter(d -> Decision.APPROVE.equals(d.decision())).map(Decision::user).toList();
  }
}
