package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.ASKED;
import static io.greenlight.approval.ApprovalVariables.ESCALATED_TO;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;

import io.greenlight.approval.ApproverNames;
import io.greenlight.directory.Approvers;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.springframework.stereotype.Component;

/** Expressions of the model: who may answer, who a level asks, and who is told the outcome. */
@Component("approversToAsk")
public class ApproversToAsk {

  private final Directory directory;

  public ApproversToAsk(Directory directory) {
    this.directory = directory;
  }

  /** {@code ${approversToAsk.toldOfTheOutcome(execution)}}: the requester (when the directory knows them) and everyone asked. */
  public List<String> toldOfTheOutcome(DelegateExecution execution) {
    Set<String> recipients = new LinkedHashSet<>();
    directory.requester(RequestVariables.of(execution).text(REQUESTED_BY)).ifPresent(user -> recipients.add(user.id()));
    recipients.addAll(JsonVariables.list(execution, ASKED, String.class));
    return new ArrayList<>(recipients);
  }

  /** {@code ${approversToAsk.candidateGroups(execution)}}: the groups named, and the escalation group once asked. */
  public List<String> candidateGroups(DelegateExecution execution) {
    return of(execution).groups();
  }

  /** {@code ${approversToAsk.candidateUsers(execution)}}: the users the request names one by one. */
  public List<String> candidateUsers(DelegateExecution execution) {
    return of(execution).users();
  }

  /** Who may answer the request of {@code execution}. */
  public Approvers of(VariableScope execution) {
    return directory.approvers(ApproverNames.parse(RequestVariables.of(execution).text(APPROVER_GROUP)),
        RequestVariables.of(execution).text(ESCALATED_TO));
  }

  /** {@code ${approversToAsk.list(toAsk)}}: the users of a level, as "Notify approver" runs over them. */
  public List<String> list(String userIds) {
    return userIds == null || userIds.isBlank() ? List.of() : Arrays.asList(userIds.split(","));
  }
}
