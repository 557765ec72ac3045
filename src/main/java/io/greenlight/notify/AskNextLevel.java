package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.AskingLevels;
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
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * "Choose who to ask next": for one of the request's rules, the next of the levels the diagram lists in this step's
 * {@code levels} input ({@link AskingLevels}: by default the on-call members, then the rest of the rule's groups, then
 * the first group's {@code escalate-to} group). Nobody is asked twice for a rule, nor the requester, nor anyone who
 * already answered; a level with nobody new is skipped; someone asked for another rule already is not messaged again. It says which level it reached and whether it was the last; letting the escalation group
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
    // A model with rules across groups asks for one rule here (its index in the element variable "rule"); earlier models
    // ask the approvers named, with what they reached in variables of the request.
    Integer ruleIndex = execution.getVariable(RULE) instanceof Integer index ? index : null;
    List<ApprovalRule> rules = ruleIndex == null ? null : request.list(RULES, ApprovalRule.class);
    ApprovalRule rule = rules == null ? null : rules.get(ruleIndex);
    Approvers named = directory.approvers(ApproverNames.parse(rule == null ? request.text(APPROVER_GROUP) : rule.group()), null);
    String requestedBy = request.text(REQUESTED_BY);
    int level = rule != null ? (rule.escalationLevel() == null ? 0 : rule.escalationLevel())
        : execution.getVariable(ESCALATION_LEVEL) instanceof Integer current ? current : 0;
    Set<String> askedForRequest = new LinkedHashSet<>(JsonVariables.list(execution, ASKED, String.class));
    Set<String> askedForRule = rule == null ? askedForRequest : new LinkedHashSet<>(rule.asked());
    Set<String> answered = new LinkedHashSet<>();
    JsonVariables.list(execution, DECISIONS, Decision.class).forEach(decision -> answered.add(decision.user()));

    List<String> newlyAsked = new ArrayList<>();
    String levelAsked = null;
    String escalatedTo = rule == null ? null : rule.escalatedTo();
    while (newlyAsked.isEmpty() && level < levels.size()) {
      level++;
      levelAsked = levels.get(level - 1);
      if (AskingLevels.ESCALATION_GROUP.equals(levelAsked)) {
        escalatedTo = escalationGroupOf(named).orElse(escalatedTo);
      }
      for (String user : candidatesAt(levelAsked, named)) {
        if (!askedForRule.contains(user) && !answered.contains(user) && !directory.isRequester(user, requestedBy)) {
          newlyAsked.add(user);
          askedForRule.add(user);
        }
      }
    }
    if (levelAsked != null) {
      execution.setVariable(LEVEL_ASKED, levelAsked);
    }
    execution.setVariable(EVERYONE_ASKED, level >= levels.size());
    // Someone asked already for another rule has the request; they are not messaged about it again.
    List<String> toMessage = newlyAsked.stream().filter(user -> rule == null || !askedForRequest.contains(user)).toList();
    execution.setVariable(TO_ASK, String.join(",", toMessage));
    askedForRequest.addAll(newlyAsked);
    execution.setVariable(ASKED, JsonVariables.json(new ArrayList<>(askedForRequest)));
    if (rule != null) {
      List<ApprovalRule> updated = new ArrayList<>(rules);
      updated.set(ruleIndex, rule.askedUpTo(level, escalatedTo, new ArrayList<>(askedForRule)));
      ApprovalRules.write(execution, updated);
    }
    if (rule == null || ruleIndex == 0) {
      // The main rule's progress is also the request's own, as the API and the earlier models show it.
      // Set through this step's execution (no scope below the request holds these names): the history keeps them as this
      // step's writes, which the timeline reads.
      execution.setVariable(ESCALATION_LEVEL, level);
      if (escalatedTo != null) {
        execution.setVariable(ESCALATED_TO, escalatedTo);
      }
    }
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

  private Optional<String> escalationGroupOf(Approvers named) {
    return named.firstGroup().flatMap(directory::group).map(DirectoryFile.Group::escalateTo);
  }

  private List<String> candidatesAt(String level, Approvers named) {
    return switch (level) {
      case AskingLevels.ON_CALL -> {
        List<String> first = new ArrayList<>(named.users());
        named.groups().forEach(group -> first.addAll(onCall.onCall(group, ClockUtil.getCurrentTime().toInstant())));
        yield first;
      }
      case AskingLevels.NAMED_GROUPS -> named.groups().stream().flatMap(group -> memberIds(group).stream()).toList();
      case AskingLevels.ESCALATION_GROUP -> escalationGroupOf(named).map(this::memberIds).orElse(List.of());
      default -> throw new IllegalStateException("Unknown level " + level);
    };
  }

  private List<String> memberIds(String group) {
    return directory.members(group).stream().map(DirectoryFile.User::id).toList();
  }
}
