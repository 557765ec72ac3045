package io.greenlight.decision;

import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.REQUIRED_APPROVALS;

import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** {@code ${quorum.reached(execution)}}: as many distinct approvers as the routing asked for have approved. */
public class Quorum {

  public boolean reached(DelegateExecution execution) {
    Object required = execution.getVariable(REQUIRED_APPROVALS);
    return met(JsonVariables.list(execution, DECISIONS, Decision.class), required instanceof Number n ? n.intValue() : null);
  }

  /** The rule itself; no required number means one approval. */
  public static boolean met(List<Decision> decisions, Integer requiredApprovals) {
    return approvers(decisions).stream().distinct().count() >= (requiredApprovals == null ? 1 : requiredApprovals);
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
