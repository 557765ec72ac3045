package io.greenlight.answer;

import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS;
import static io.greenlight.approval.ApprovalVariables.CHANGES;
import static io.greenlight.approval.ApprovalVariables.COMMENT;
import static io.greenlight.approval.ApprovalVariables.DECISION;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.RULES;

import io.greenlight.approval.Answers;
import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.BreakGlass;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.StringValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.stereotype.Component;

/**
 * Complete listener of "Decide on deployment". However the task is completed (Tasklist form, decision
 * API), the answer is checked against the {@link DecisionRules} as the authenticated user, and recorded
 * in {@code decisions}. A refused answer throws, so the task stays open and nothing changes.
 */
@Component("recordDecision")
public class RecordDecision implements TaskListener {

  private final DecisionRules rules;
  private final RefusalLimit refusalLimit;

  public RecordDecision(DecisionRules rules, RefusalLimit refusalLimit) {
    this.rules = rules;
    this.refusalLimit = refusalLimit;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    String userId = authentication == null ? null : authentication.getUserId();
    String decision = textOf(task, DECISION);
    String comment = blankToNull(textOf(task, COMMENT));
    if (task.getExecution() == null) {
      // The deadline or another answer ended the request after this task was read: nothing to record; the caller
      // looks again and says what happened.
      throw new OptimisticLockingException("The request changed while " + userId + " answered it; nothing was recorded.");
    }
    List<Decision> earlier = JsonVariables.list(task.getExecution(), DECISIONS, Decision.class);
    List<ApprovalRule> requestRules = ApprovalRules.of(task.getExecution());
    ApprovalView.Changes changes = RequestVariables.of(task).json(CHANGES, ApprovalView.Changes.class);
    boolean breakGlass;
    try {
      breakGlass = rules.check(userId, requestRules, rules.freezeOf(RequestVariables.of(task).text(PROJECT_SLUG)),
          RequestVariables.of(task).text(REQUESTED_BY), decision, comment, Answers.approvers(earlier), changes);
    } catch (DecisionRefusedException refused) {
      RefusedAnswers.recordFromEngine(refusalLimit, task.getProcessInstanceId(), userId, decision, comment, refused.code(), refused.getMessage());
      throw refused;
    }

    boolean authorsUnchecked = Decision.APPROVE.equals(decision) && rules.authorsUncheckable(changes);
    List<Decision> decisions = new ArrayList<>(earlier);
    Instant now = ClockUtil.getCurrentTime().toInstant();
    decisions.add(new Decision(userId, decision, DecisionChannel.current(), comment, now, authorsUnchecked ? Boolean.TRUE : null));
    task.getExecution().setVariable(DECISIONS, JsonVariables.json(decisions));
    if (breakGlass) {
      // Decides the request alone (Quorum), whatever its rules, and is reviewed once the deploy is approved.
      task.getExecution().setVariable(BREAK_GLASS, JsonVariables.json(new BreakGlass(userId, comment, now)));
    }
    if (task.getExecution().hasVariable(RULES)) {
      // Counted again with every answer: a later approver can free an earlier one for another rule.
      ApprovalRules.write(task.getExecution(), rules.counted(requestRules, decisions));
    }
  }

  /**
   * The answer's text, read without deserializing anything: a value of another type (an object a person tried to make
   * the engine build) is refused, never read.
   */
  private static String textOf(DelegateTask task, String name) {
    TypedValue value = task.getVariableTyped(name, false);
    if (value == null || value.getType() == ValueType.NULL) {
      return null;
    }
    if (value instanceof StringValue text) {
      return text.getValue();
    }
    throw new DecisionRefusedException(new Refusal("not_text", name, "'" + name + "' must be given as text." + Refusal.NOTHING_RECORDED));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
