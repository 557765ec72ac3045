package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.AskingLevels;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.oncall.OnCallSchedule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * "Choose who to ask next": the next of the levels the diagram lists in this step's {@code levels} input
 * ({@link AskingLevels}: by default the on-call members, then the rest of the named groups, then the first group's
 * {@code escalate-to} group). Nobody is asked twice, nor the requester, nor anyone who already answered; a level with
 * nobody new is skipped. It says which level it reached and whether it was the last; letting the escalation group
 * decide is the diagram's next step.
 */
@Component("askNextLevel")
public class AskNextLevel implements JavaDelegate {

  private final Directory directory;
  private final OnCallSchedule onCall;

  public AskNextLevel(Directory directory, OnCallSchedule onCall) {
    this.directory = directory;
    this.onCall = onCall;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    boolean earlierModel = !execution.hasVariableLocal(LEVELS);
    List<String> levels = earlierModel ? AskingLevels.IN_EARLIER_MODELS : levelsOf(execution);
    Approvers named = directory.approvers(ApproverNames.parse(request.text(APPROVER_GROUP)), null);
    String requestedBy = request.text(REQUESTED_BY);
    int level = execution.getVariable(ESCALATION_LEVEL) instanceof Integer current ? current : 0;
    Set<String> asked = new LinkedHashSet<>(JsonVariables.list(execution, ASKED, String.class));
    JsonVariables.list(execution, DECISIONS, Decision.class).forEach(decision -> asked.add(decision.user()));

    List<String> newlyAsked = new ArrayList<>();
    String levelAsked = null;
    while (newlyAsked.isEmpty() && level < levels.size()) {
      level++;
      levelAsked = levels.get(level - 1);
      for (String user : candidatesAt(levelAsked, named, execution)) {
        if (!asked.contains(user) && !directory.isRequester(user, requestedBy)) {
          newlyAsked.add(user);
          asked.add(user);
        }
      }
    }
    execution.setVariable(ESCALATION_LEVEL, level);
    if (levelAsked != null) {
      execution.setVariable(LEVEL_ASKED, levelAsked);
    }
    execution.setVariable(EVERYONE_ASKED, level >= levels.size());
    execution.setVariable(TO_ASK, String.join(",", newlyAsked));
    execution.setVariable(ASKED, JsonVariables.json(new ArrayList<>(asked)));
    if (earlierModel && execution.getVariable(ESCALATED_TO) instanceof String escalationGroup) {
      // Earlier models (without the levels input) have no "Let the escalation group decide" step: it happens here.
      LetEscalationGroupDecide.addToOpenDecisionTasks(execution, escalationGroup);
    }
  }

  /** The diagram's list, as the deployment checked it ({@link AskingLevelsCheck}), or an expression gave it. */
  private static List<String> levelsOf(DelegateExecution execution) {
    List<String> levels = AskingLevels.parse(String.valueOf(execution.getVariableLocal(LEVELS)));
    AskingLevelsCheck.check(levels);
    return levels;
  }

  private List<String> candidatesAt(String level, Approvers named, DelegateExecution execution) {
    return switch (level) {
      case AskingLevels.ON_CALL -> {
        List<String> first = new ArrayList<>(named.users());
        named.groups().forEach(group -> first.addAll(onCall.onCall(group, ClockUtil.getCurrentTime().toInstant())));
        yield first;
      }
      case AskingLevels.NAMED_GROUPS -> named.groups().stream().flatMap(group -> memberIds(group).stream()).toList();
      case AskingLevels.ESCALATION_GROUP -> named.firstGroup().flatMap(directory::group).map(DirectoryFile.Group::escalateTo)
          .map(escalationGroup -> {
            execution.setVariable(ESCALATED_TO, escalationGroup);
            return memberIds(escalationGroup);
          }).orElse(List.of());
      default -> throw new IllegalStateException("Unknown level " + level);
    };
  }

  private List<String> memberIds(String group) {
    return directory.members(group).stream().map(DirectoryFile.User::id).toList();
  }
}
