package io.greenlight.answer;

import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;

import io.greenlight.approval.Answers;
import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.BreakGlass;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import io.greenlight.freeze.ActiveFreeze;
import io.greenlight.freeze.FreezeProperties;
import io.greenlight.freeze.Freezes;
import io.greenlight.web.SafeText;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * The rules every answer obeys, whichever channel it comes through: a known decision, a reason to
 * reject, only candidates of the request, never approval of one's own deployment, and while deploys of the project are
 * frozen, approval only by the break-glass group, with a reason.
 */
@Component
public class DecisionRules {

  public static final int LONGEST_COMMENT = 1000;

  private final Directory directory;
  private final ApprovalsProperties approvals;
  private final Freezes freezes;
  private final FreezeProperties freezeSettings;

  public DecisionRules(Directory directory, ApprovalsProperties approvals, Freezes freezes, FreezeProperties freezeSettings) {
    this.directory = directory;
    this.approvals = approvals;
    this.freezes = freezes;
    this.freezeSettings = freezeSettings;
  }

  /** The freeze covering the project now (the engine's clock), if any: looked up with every answer, never remembered. */
  public Optional<ActiveFreeze> freezeOf(String projectSlug) {
    return projectSlug == null ? Optional.empty() : freezes.activeFor(projectSlug, ClockUtil.getCurrentTime().toInstant());
  }

  public String breakGlassGroup() {
    return freezeSettings.breakGlassGroup();
  }

  /** Who may answer now: anyone who may count toward one of the rules, and while deploys are frozen the break-glass group. */
  public Approvers approvers(List<ApprovalRule> rules, Optional<ActiveFreeze> freeze) {
    Approvers approvers = approvers(rules);
    return freeze.isPresent() ? approvers.withGroup(breakGlassGroup()) : approvers;
  }

  /** Who may answer a request with these rules: anyone who may count toward one of them. */
  public Approvers approvers(List<ApprovalRule> rules) {
    Approvers all = directory.approvers(rules.stream().flatMap(rule -> ApproverNames.parse(rule.group()).stream()).distinct().toList(), null);
    for (ApprovalRule rule : rules) {
      all = all.withGroup(rule.escalatedTo());
    }
    return all;
  }

  /** Whether {@code userId}'s approval may count toward {@code rule}: named by it, or in its groups or escalation group. */
  public boolean mayCountToward(String userId, ApprovalRule rule) {
    return directory.mayAnswer(userId, approvers(rule.group(), rule.escalatedTo()));
  }

  /** {@code rules} with the approvals among {@code decisions} counted toward them (see {@link ApprovalRules#count}). */
  public List<ApprovalRule> counted(List<ApprovalRule> rules, List<Decision> decisions) {
    return ApprovalRules.count(rules, Answers.approvers(decisions), this::mayCountToward);
  }

  /**
   * Whether someone who wrote or committed part of the change is answering: their directory {@code logins} among the
   * change's GitHub authors and committers. False when authors may approve, or the change is not known.
   */
  public boolean authoredTheChange(String userId, ApprovalView.Changes changes) {
    if (approvals.authorsMayApprove() || changes == null || userId == null) {
      return false;
    }
    List<String> logins = directory.user(userId).map(user -> user.logins()).orElse(List.of());
    return changes.authors().stream().anyMatch(author -> logins.stream().anyMatch(author::equalsIgnoreCase));
  }

  /**
   * Whether an approval cannot be checked against the change's authors: the rule applies, and the change is unknown, or
   * longer than could be read (its known authors are still refused).
   */
  public boolean authorsUncheckable(ApprovalView.Changes changes) {
    return !approvals.authorsMayApprove() && (changes == null || !changes.authorsComplete());
  }

  /** Who may answer a request that names {@code approverNames} and has asked {@code escalatedTo} (or null). */
  public Approvers approvers(String approverNames, String escalatedTo) {
    return directory.approvers(ApproverNames.parse(approverNames), escalatedTo);
  }

  /**
   * @param requestRules the request's rules (who may count toward them may answer)
   * @param freeze the freeze covering the project now, if any
   * @param approvedBy who has approved already (a quorum needs distinct approvers)
   * @return whether the answer is a break-glass approval: given during a freeze by the break-glass group, which decides
   *     the request alone
   */
  public boolean check(String userId, List<ApprovalRule> requestRules, Optional<ActiveFreeze> freeze, String requestedBy,
                       String decision, String comment, Collection<String> approvedBy, ApprovalView.Changes changes) {
    if (!Decision.APPROVE.equals(decision) && !Decision.REJECT.equals(decision)) {
      throw new DecisionRefusedException(Refusal.invalidDecision());
    }
    checkReason(decision, comment);
    Approvers approvers = approvers(requestRules, freeze);
    if (!directory.mayAnswer(userId, approvers)) {
      throw new DecisionRefusedException(Refusal.notAnApprover(userId, approvers.describe()));
    }
    if (Decision.APPROVE.equals(decision) && directory.isRequester(userId, requestedBy)) {
      throw new DecisionRefusedException(Refusal.ownDeployment());
    }
    if (Decision.APPROVE.equals(decision) && authoredTheChange(userId, changes)) {
      throw new DecisionRefusedException(Refusal.authoredChange());
    }
    if (Decision.APPROVE.equals(decision) && freeze.isPresent()) {
      if (!directory.isMember(userId, breakGlassGroup())) {
        throw new DecisionRefusedException(Refusal.frozen(freeze.get(), breakGlassGroup()));
      }
      if (comment == null || comment.isBlank()) {
        throw new DecisionRefusedException(Refusal.breakGlassReasonRequired());
      }
      return true;
    }
    if (Decision.APPROVE.equals(decision) && approvedBy.contains(userId)) {
      throw new DecisionRefusedException(Refusal.alreadyApproved());
    }
    return false;
  }

  /** What is said with an answer: a reason to reject, of a length and kind the history can keep. */
  void checkReason(String decision, String comment) {
    if (Decision.REJECT.equals(decision) && (comment == null || comment.isBlank())) {
      throw new DecisionRefusedException(Refusal.commentRequired());
    }
    if (comment != null && comment.length() > LONGEST_COMMENT) {
      throw new DecisionRefusedException(Refusal.commentTooLong(LONGEST_COMMENT));
    }
    if (!SafeText.isLines(comment)) {
      throw new DecisionRefusedException(Refusal.invalidComment());
    }
  }

  /**
   * Right before a deploy is approved in CircleCI or GitHub: the request's recorded answers really approve it (below);
   * those answers.
   */
  public List<Decision> confirmedApprovals(DelegateExecution execution) {
    List<Decision> decisions = JsonVariables.list(execution, DECISIONS, Decision.class);
    RequestVariables request = RequestVariables.of(execution);
    BreakGlass breakGlass = request.json(BREAK_GLASS, BreakGlass.class);
    if (breakGlass != null) {
      confirmBreakGlass(decisions, breakGlass, request.text(REQUESTED_BY));
    } else {
      confirmApproval(decisions, ApprovalRules.of(execution), request.text(REQUESTED_BY));
    }
    return decisions;
  }

  /** A break-glass approval really is one: recorded among the answers, with a reason, by the group, not the requester. */
  void confirmBreakGlass(List<Decision> decisions, BreakGlass breakGlass, String requestedBy) {
    boolean recorded = decisions.stream().anyMatch(decision -> decision.user().equals(breakGlass.by())
        && Decision.APPROVE.equals(decision.decision()) && decision.comment() != null && !decision.comment().isBlank());
    String problem = Answers.rejected(decisions) ? "it was rejected"
        : !recorded ? "the break-glass approval is not among the answers"
        : !directory.isMember(breakGlass.by(), breakGlassGroup()) ? breakGlass.by() + " is not in " + breakGlassGroup()
        : directory.isRequester(breakGlass.by(), requestedBy) ? "the requester approved it"
        : null;
    if (problem != null) {
      throw new IllegalStateException("The recorded break-glass approval does not approve this deployment (" + problem
          + "); nothing was sent to the CI system. An admin must look into this request.");
    }
  }

  /**
   * The recorded answers really approve the deploy — no rejection, enough distinct approvers, none of them the
   * requester. A second line behind the rules every answer passed: should the record ever have been written some other
   * way, nothing is approved and an admin sees an incident.
   */
  public void confirmApproval(List<Decision> decisions, List<ApprovalRule> rules, String requestedBy) {
    List<String> approvers = Answers.approvers(decisions).stream().distinct().toList();
    // Counted again here from the answers alone, not taken from the record of the counting.
    List<ApprovalRule> counted = counted(rules, decisions);
    String problem = Answers.rejected(decisions) ? "it was rejected"
        : approvers.stream().anyMatch(user -> directory.isRequester(user, requestedBy)) ? "the requester is among the approvers"
        : !ApprovalRules.met(counted) ? approvers.size() + " distinct approval(s); still needed: " + ApprovalRules.stillNeeded(counted)
        : null;
    if (problem != null) {
      throw new IllegalStateException("The recorded answers do not approve this deployment (" + problem
          + "); nothing was sent to the CI system. An admin must look into this request.");
    }
  }
}
