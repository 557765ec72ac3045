package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.ESCALATED_TO;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Expressions of the model: who may answer, and who a level asks. */
public class ApproversToAsk {

  /** {@code ${approversToAsk.candidateGroups(execution)}}: the approver group, and the escalation group once asked. */
  public List<String> candidateGroups(DelegateExecution execution) {
    List<String> groups = new ArrayList<>();
    groups.add((String) execution.getVariable(APPROVER_GROUP));
    if (execution.getVariable(ESCALATED_TO) instanceof String escalatedTo) {
      groups.add(escalatedTo);
    }
    return groups;
  }

  /** {@code ${approversToAsk.list(toAsk)}}: the users of a level, as "Notify approver" runs over them. */
  public List<String> list(String userIds) {
    return userIds == null || userIds.isBlank() ? List.of() : Arrays.asList(userIds.split(","));
  }
}
