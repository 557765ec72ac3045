package io.greenlight.approval;

import static io.greenlight.approval.ApprovalVariables.RULE;
import static io.greenlight.approval.ApprovalVariables.TO_ASK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.EventSubscription;
import org.camunda.bpm.engine.runtime.VariableInstance;

/**
 * Asking a request's next level now ({@value ProcessMessages#ESCALATE_NOW} on the diagram), rule by rule: each
 * instance of "Ask each rule's approvers" waits for the message on its own, and only the rules {@code which} picks are
 * escalated. A request of an earlier model has one asking, escalated as before.
 */
public final class RuleEscalations {

  private RuleEscalations() {}

  /** The rules escalated now: their indices ({@code -1} for a request without rules); empty when nothing waited. */
  public static List<Integer> escalate(RuntimeService runtime, String requestId, Predicate<ApprovalRule> which) {
    List<ApprovalRule> rules = JsonVariables.list(runtime.getVariableTyped(requestId, ApprovalVariables.RULES, false),
        ApprovalRule.class);
    List<Integer> escalated = new ArrayList<>();
    for (EventSubscription waiting : runtime.createEventSubscriptionQuery().processInstanceId(requestId)
        .eventType("message").eventName(ProcessMessages.ESCALATE_NOW).list()) {
      Integer rule = runtime.getVariable(waiting.getExecutionId(), RULE) instanceof Integer index ? index : null;
      if (rule != null && rule < rules.size() && !which.test(rules.get(rule))) {
        continue;
      }
      runtime.messageEventReceived(ProcessMessages.ESCALATE_NOW, waiting.getExecutionId());
      escalated.add(rule == null ? -1 : rule);
    }
    return escalated;
  }

  /** Who the escalation of {@code rules} newly asks: each such rule's step's {@code toAsk}, once each. */
  public static List<String> newlyAsked(RuntimeService runtime, String requestId, List<Integer> rules) {
    Set<String> asked = new LinkedHashSet<>();
    for (VariableInstance toAsk : runtime.createVariableInstanceQuery().processInstanceIdIn(requestId).variableName(TO_ASK)
        .disableCustomObjectDeserialization().list()) {
      Object rule = runtime.getVariable(toAsk.getExecutionId(), RULE);
      boolean escalated = rule instanceof Integer index ? rules.contains(index) : rules.contains(-1);
      if (escalated && toAsk.getValue() instanceof String names) {
        Arrays.stream(names.split(",")).map(String::trim).filter(id -> !id.isEmpty()).forEach(asked::add);
      }
    }
    return new ArrayList<>(asked);
  }
}
