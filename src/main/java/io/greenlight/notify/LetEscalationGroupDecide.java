package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.ESCALATED_TO;
import static io.greenlight.approval.ApprovalVariables.RULE;
import static io.greenlight.approval.ApprovalVariables.RULES;

import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.RequestVariables;

import io.greenlight.approval.ActivityIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.stereotype.Component;

/**
 * "Let the escalation group decide": the group a rule just asked (its {@code escalatedTo}) becomes a candidate group of the open
 * decision task, so its members find it in Tasklist; a decision task created later has it from the start.
 */
@Component("letEscalationGroupDecide")
public class LetEscalationGroupDecide implements JavaDelegate {

  @Override
  public void execute(DelegateExecution execution) {
    String escalationGroup = execution.getVariable(RULE) instanceof Integer rule
        ? RequestVariables.of(execution).list(RULES, ApprovalRule.class).get(rule).escalatedTo()
        : RequestVariables.of(execution).text(ESCALATED_TO);
    if (escalationGroup != null) {
      addToOpenDecisionTasks(execution, escalationGroup);
    }
  }

  static void addToOpenDecisionTasks(DelegateExecution execution, String group) {
    openDecisionTasks(execution).forEach(task -> task.addCandidateGroup(group));
  }

  /**
   * The request's open decision tasks, found in the request's executions rather than by a query: a task created in this
   * same transaction (the first level is chosen while the task is created, in whichever order the engine takes the two
   * paths) is not in the database yet, but it is in its execution.
   */
  private static List<TaskEntity> openDecisionTasks(DelegateExecution execution) {
    List<TaskEntity> found = new ArrayList<>();
    Deque<ExecutionEntity> executions = new ArrayDeque<>(List.of((ExecutionEntity) execution.getProcessInstance()));
    while (!executions.isEmpty()) {
      ExecutionEntity next = executions.pop();
      next.getTasks().stream().filter(task -> ActivityIds.DECIDE.equals(task.getTaskDefinitionKey())).forEach(found::add);
      executions.addAll(next.getExecutions());
    }
    return found;
  }
}
