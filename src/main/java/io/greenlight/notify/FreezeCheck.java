package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.ASKED;
import static io.greenlight.approval.ApprovalVariables.ESCALATION_LEVEL;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.RULES;
import static io.greenlight.approval.ApprovalVariables.WAS_FROZEN_UNTIL;

import io.greenlight.answer.DecisionRules;
import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.freeze.ActiveFreeze;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * The freeze steps of the diagram: "Deploys frozen?" ({@code ${freezeCheck.frozen(execution)}}), "Ask the break-glass
 * group" (its members, and the decision task opened to them), "Freeze ended" (when), and what messages to approvers
 * start with while deploys are frozen or just after. Whether a project is frozen is looked up each time, never kept:
 * a freeze declared, ended early or extended counts from that moment.
 */
@Component("freezeCheck")
public class FreezeCheck {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final DecisionRules decisionRules;
  private final Directory directory;

  public FreezeCheck(DecisionRules decisionRules, Directory directory) {
    this.decisionRules = decisionRules;
    this.directory = directory;
  }

  /** "Deploys frozen?": a freeze covers the request's project now. */
  public boolean frozen(DelegateExecution execution) {
    return freezeOf(execution).isPresent();
  }

  /** "Freeze ended": when deploys open again as far as is known now (at once, should the freeze be gone already). */
  public Date endsAt(DelegateExecution execution) {
    return freezeOf(execution).map(freeze -> Date.from(freeze.until())).orElse(ClockUtil.getCurrentTime());
  }

  /**
   * Leaving "Freeze ended": the approvers are asked as usual, from the first level, told deploys were frozen until now.
   * Whoever the asking reached before the freeze interrupted it is asked again (their approvals were refused while it
   * lasted); who answered stays answered, and everyone messaged is still told the outcome.
   */
  public void ended(DelegateExecution execution) {
    execution.setVariable(WAS_FROZEN_UNTIL, ClockUtil.getCurrentTime().toInstant().toString());
    List<ApprovalRule> rules = ApprovalRules.of(execution);
    if (execution.hasVariable(RULES) && !rules.isEmpty()) {
      ApprovalRules.write(execution, rules.stream().map(rule -> rule.askedUpTo(0, null, List.of())).toList());
    }
    execution.setVariable(ASKED, JsonVariables.json(List.of()));
    execution.setVariable(ESCALATION_LEVEL, 0);
  }

  /** "Ask the break-glass group": every member but the requester. */
  public List<String> breakGlassMembers(DelegateExecution execution) {
    String requestedBy = RequestVariables.of(execution).text(REQUESTED_BY);
    return directory.members(decisionRules.breakGlassGroup()).stream().map(DirectoryFile.User::id)
        .filter(member -> !directory.isRequester(member, requestedBy)).toList();
  }

  /**
   * Entering "Ask the break-glass group": the open decision task is theirs too, so it shows in their Tasklist (the task
   * made after each answer gets them from its candidates while the freeze lasts), as an escalation group's is.
   */
  public void openDecisionToBreakGlass(DelegateExecution execution) {
    LetEscalationGroupDecide.addToOpenDecisionTasks(execution, decisionRules.breakGlassGroup());
  }

  /**
   * What a message to an approver starts with: that deploys are frozen (why, until when, who may still approve), or,
   * once a freeze that held the request has ended, that they are open again; empty otherwise.
   */
  public Optional<String> lead(DelegateExecution execution) {
    Optional<ActiveFreeze> freeze = freezeOf(execution);
    if (freeze.isPresent()) {
      return Optional.of(frozenLead(freeze.get(), decisionRules.breakGlassGroup()));
    }
    Object until = execution.getVariable(WAS_FROZEN_UNTIL);
    return until == null ? Optional.empty()
        : Optional.of("Deploys were frozen until " + TIME.format(Instant.parse(until.toString())) + "; they are open again.");
  }

  /** {@code FROZEN: <reason>. Until <end>; only <group> may approve, with a reason.} */
  static String frozenLead(ActiveFreeze freeze, String breakGlassGroup) {
    return "FROZEN: " + freeze.reason().replaceAll("\\s+", " ").trim() + ". Until " + TIME.format(freeze.until()) + "; only "
        + breakGlassGroup + " may approve, with a reason.";
  }

  private Optional<ActiveFreeze> freezeOf(DelegateExecution execution) {
    return decisionRules.freezeOf(RequestVariables.of(execution).text(PROJECT_SLUG));
  }
}
