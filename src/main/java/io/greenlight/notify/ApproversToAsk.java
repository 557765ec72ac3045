package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.ASKED;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.RULE;

import io.greenlight.answer.DecisionRules;
import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.springframework.stereotype.Component;

/** Expressions of the model: who may answer, who a level asks, and who is told the outcome. */
@Component("approversToAsk")
public class ApproversToAsk {

  private final Directory directory;
  private final DecisionRules decisionRules;

  public ApproversToAsk(Directory directory, DecisionRules decisionRules) {
    this.directory = directory;
    this.decisionRules = decisionRules;
  }

  /**
   * {@code ${approversToAsk.toldOfTheOutcome(execution)}}: the requester (when the directory knows them), everyone asked,
   * and everyone messaged about it (the break-glass group during a freeze; those asked before a freeze began).
   */
  public List<String> toldOfTheOutcome(DelegateExecution execution) {
    Set<String> recipients = new LinkedHashSet<>();
    directory.requester(RequestVariables.of(execution).text(REQUESTED_BY)).ifPresent(user -> recipients.add(user.id()));
    recipients.addAll(JsonVariables.list(execution, ASKED, String.class));
    org.camunda.bpm.engine.variable.VariableMap variables = execution.getVariablesTyped(false);
    Map<String, Object> typed = new HashMap<>();
    variables.keySet().forEach(name -> typed.put(name, variables.getValueTyped(name)));
    Notification.allIn(typed).stream().map(Notification::user).forEach(recipients::add);
    return new ArrayList<>(recipients);
  }

  /**
   * {@code ${approversToAsk.candidateGroups(execution)}}: every rule's groups, each escalation group once asked, and while
   * deploys of the project are frozen the break-glass group.
   */
  public List<String> candidateGroups(DelegateExecution execution) {
    return decisionRules.approvers(rulesOf(execution),
        decisionRules.freezeOf(RequestVariables.of(execution).text(PROJECT_SLUG))).groups();
  }

  /** {@code ${approversToAsk.candidateUsers(execution)}}: the users the rules name one by one. */
  public List<String> candidateUsers(DelegateExecution execution) {
    return of(execution).users();
  }

  /** Who may answer the request of {@code execution}, for one rule or another. */
  public Approvers of(VariableScope execution) {
    return decisionRules.approvers(rulesOf(execution));
  }

  /** {@code ${approversToAsk.rules(execution)}}: one "Ask each rule's approvers" instance per rule, by index. */
  public List<Integer> rules(DelegateExecution execution) {
    return IntStream.range(0, rulesOf(execution).size()).boxed().toList();
  }

  /** {@code ${approversToAsk.ruleMet(execution)}}: the rule this instance asks for is met, as the approvals count now. */
  public boolean ruleMet(DelegateExecution execution) {
    return execution.getVariable(RULE) instanceof Integer index && rulesOf(execution).get(index).met();
  }

  private static List<ApprovalRule> rulesOf(VariableScope execution) {
    return ApprovalRules.of(execution);
  }

  /** {@code ${approversToAsk.list(toAsk)}}: the users of a level, as "Notify approver" runs over them. */
  public List<String> list(String userIds) {
    return userIds == null || userIds.isBlank() ? List.of() : Arrays.asList(userIds.split(","));
  }
}
