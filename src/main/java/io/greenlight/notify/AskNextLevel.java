package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.oncall.OnCallSchedule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.stereotype.Component;

/**
 * "Choose who to ask next": level 1 everyone the request names — each user named, and each group's on-call member
 * (every member without a rotation) —, level 2 the rest of the groups named, level 3 the first named group's
 * {@code escalate-to} group, whose members may then answer too. Nobody is asked twice, nor the requester, nor anyone
 * who already answered; a level with nobody new is skipped.
 */
@Component("askNextLevel")
public class AskNextLevel implements JavaDelegate {

  static final int HIGHEST_LEVEL = 3;

  private final Directory directory;
  private final OnCallSchedule onCall;

  public AskNextLevel(Directory directory, OnCallSchedule onCall) {
    this.directory = directory;
    this.onCall = onCall;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Approvers named = directory.approvers(ApproverNames.parse((String) execution.getVariable(APPROVER_GROUP)), null);
    String requestedBy = (String) execution.getVariable(REQUESTED_BY);
    int level = execution.getVariable(ESCALATION_LEVEL) instanceof Integer current ? current : 0;
    Set<String> asked = new LinkedHashSet<>(JsonVariables.list(execution, ASKED, String.class));
    JsonVariables.list(execution, DECISIONS, Decision.class).forEach(decision -> asked.add(decision.user()));

    List<String> newlyAsked = new ArrayList<>();
    while (newlyAsked.isEmpty() && level < HIGHEST_LEVEL) {
      level++;
      for (String user : candidatesAt(level, named, execution)) {
        if (!asked.contains(user) && !directory.isRequester(user, requestedBy)) {
          newlyAsked.add(user);
          asked.add(user);
        }
      }
    }
    execution.setVariable(ESCALATION_LEVEL, level);
    execution.setVariable(TO_ASK, String.join(",", newlyAsked));
    execution.setVariable(ASKED, JsonVariables.json(new ArrayList<>(asked)));
  }

  private List<String> candidatesAt(int level, Approvers named, DelegateExecution execution) {
    return switch (level) {
      case 1 -> {
        List<String> first = new ArrayList<>(named.users());
        named.groups().forEach(group -> first.addAll(onCall.onCall(group, ClockUtil.getCurrentTime().toInstant())));
        yield first;
      }
      case 2 -> named.groups().stream().flatMap(group -> memberIds(group).stream()).toList();
      default -> named.firstGroup().flatMap(directory::group).map(DirectoryFile.Group::escalateTo).map(escalationGroup -> {
        execution.setVariable(ESCALATED_TO, escalationGroup);
        // The open decision task gets the escalation group as candidates; a later one has it from the start.
        openDecisionTasks(execution).forEach(task -> task.addCandidateGroup(escalationGroup));
        return memberIds(escalationGroup);
      }).orElse(List.of());
    };
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

  private List<String> memberIds(String group) {
    return directory.members(group).stream().map(DirectoryFile.User::id).toList();
  }
}
