package io.greenlight.approval;

import java.util.List;

/** The quorum rule over the answers recorded so far: one rejection ends it, else enough distinct approvers. */
public final class Answers {

  private Answers() {}

  /** Enough distinct approvers; no required number means one approval. */
  public static boolean met(List<Decision> decisions, Integer requiredApprovals) {
    return missingApprovals(decisions, requiredApprovals) == 0;
  }

  /** How many more distinct approvers the quorum needs (0 once it is met). */
  public static int missingApprovals(List<Decision> decisions, Integer requiredApprovals) {
    long distinct = approvers(decisions).stream().distinct().count();
    return (int) Math.max(0, (requiredApprovals == null ? 1 : requiredApprovals) - distinct);
  }

  /** The answers are in: a rejection, or enough distinct approvals. */
  public static boolean decided(List<Decision> decisions, Integer requiredApprovals) {
    return rejected(decisions) || met(decisions, requiredApprovals);
  }

  public static boolean rejected(List<Decision> decisions) {
    return decisions.stream().anyMatch(d -> Decision.REJECT.equals(d.decision()));
  }

  /** Who approved, in order. */
  public static List<String> approvers(List<Decision> decisions) {
    return decisions.stream().filter(d -> Decision.APPROVE.equals(d.decision())).map(Decision::user).toList();
  }
}
