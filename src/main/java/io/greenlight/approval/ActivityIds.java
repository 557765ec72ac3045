package io.greenlight.approval;

import java.util.Map;
import java.util.Set;

/**
 * The ids of the elements of {@code bpmn/deployment-approval.bpmn} that Greenlight's code names, in one place:
 * renaming one in Modeler fails {@code ActivityIdsTest}, instead of silently mislabelling the audit trail.
 */
public final class ActivityIds {

  public static final String FIND_GATE = "FindGate";
  public static final String GATE_NOT_FOUND = "GateNotFound";
  public static final String ROUTE = "Route";
  public static final String NOBODY_CAN_APPROVE = "NobodyCanApprove";
  /** The routing table's additional-approvals: the rules across groups. */
  public static final String ADD_RULES_ACROSS_GROUPS = "AddRulesAcrossGroups";
  /** Looking up the change being deployed (GitHub's compare API), beside the asking. */
  public static final String LOOK_UP_CHANGES = "LookUpChanges";
  /** The first lookup's error boundary: GitHub did not answer, so the change is looked up again as a job. */
  public static final String GITHUB_DID_NOT_ANSWER = "GitHubDidNotAnswer";
  public static final String LOOK_UP_CHANGES_AGAIN = "LookUpChangesAgain";
  /** The user task approvers complete ("Decide on deployment"), whichever channel they answer on. */
  public static final String DECIDE = "Decide";
  public static final String DEPLOYS_FROZEN = "DeploysFrozen";
  /** The user task of the emergency-deploy-review process. */
  public static final String REVIEW_EMERGENCY_DEPLOY = "ReviewEmergencyDeploy";
  public static final String REVIEW_OVERDUE = "ReviewOverdue";
  public static final String ESCALATE_OVERDUE_REVIEW = "EscalateOverdueReview";
  public static final String ASK_BREAK_GLASS_GROUP = "AskBreakGlassGroup";
  public static final String FREEZE_ENDED = "FreezeEnded";
  public static final String FROZEN_MEANWHILE = "FrozenMeanwhile";
  public static final String FROZEN_AFTER_EVERYONE_ASKED = "FrozenAfterEveryoneAsked";
  public static final String ASK_NEXT_LEVEL = "AskNextLevel";
  public static final String ESCALATION_DUE = "EscalationDue";
  public static final String ESCALATION_ASKED = "EscalationAsked";
  public static final String DEADLINE_PASSED = "DeadlinePassed";
  /**
   * "Ask on each of their channels": one instance, and one job, per channel that reaches the approver (models before
   * 2026-12 had a task per channel, SendSms, SendEmail, SendSlack and CallApprover, run whether or not it reached them).
   */
  public static final String ASK_ON_THEIR_CHANNELS = "AskOnTheirChannels";
  /** The start of the event subprocess that calls a person whose SMS was not delivered. */
  public static final String SMS_NOT_DELIVERED = "SmsNotDelivered";
  public static final String CALL_INSTEAD = "CallInstead";
  public static final String APPROVE_GATE = "ApproveGate";
  /** The start of the event subprocess that ends a request whose gate was decided in the CI system itself. */
  public static final String GATE_DECIDED_ELSEWHERE = "GateDecidedElsewhere";
  /** The start of the event subprocess that fails a request the CI system refused for good. */
  public static final String GATE_REFUSED = "GateRefused";

  /**
   * What earlier models called the elements above (their requests' history keeps those ids): named after CircleCI
   * before gates had kinds, and before 2026-12 one boundary event per CircleCI step said "decided in CircleCI".
   */
  private static final Map<String, String> IN_EARLIER_MODELS = Map.ofEntries(
      Map.entry("FindApprovalJob", FIND_GATE), Map.entry("ApproveInCircleCi", APPROVE_GATE),
      Map.entry("DecidedInCircleCi", GATE_DECIDED_ELSEWHERE), Map.entry("CircleCiRefused", GATE_REFUSED),
      Map.entry("GateAlreadyDecided", GATE_DECIDED_ELSEWHERE), Map.entry("ApprovalDecidedInCircleCi", GATE_DECIDED_ELSEWHERE),
      Map.entry("RejectionDecidedInCircleCi", GATE_DECIDED_ELSEWHERE), Map.entry("ExpiryDecidedInCircleCi", GATE_DECIDED_ELSEWHERE),
      Map.entry("UnapprovableDecidedInCircleCi", GATE_DECIDED_ELSEWHERE));

  /** The id an element has in the current model, for the id it had in the model a request ran on. */
  public static String current(String activityId) {
    return IN_EARLIER_MODELS.getOrDefault(activityId, activityId);
  }

  /** The ids of earlier models that {@link #current} renames: none may come back into the current model. */
  public static Set<String> earlier() {
    return IN_EARLIER_MODELS.keySet();
  }

  /** Every id above that the current model must have. */
  public static final Set<String> ALL = Set.of(FIND_GATE, GATE_NOT_FOUND, ROUTE, NOBODY_CAN_APPROVE,
      ADD_RULES_ACROSS_GROUPS, LOOK_UP_CHANGES, GITHUB_DID_NOT_ANSWER, LOOK_UP_CHANGES_AGAIN, DECIDE,
      ASK_NEXT_LEVEL, ESCALATION_DUE, ESCALATION_ASKED, DEADLINE_PASSED, ASK_ON_THEIR_CHANNELS,
      SMS_NOT_DELIVERED, CALL_INSTEAD, APPROVE_GATE,
      GATE_DECIDED_ELSEWHERE, GATE_REFUSED, DEPLOYS_FROZEN, ASK_BREAK_GLASS_GROUP, FREEZE_ENDED, FROZEN_MEANWHILE,
      FROZEN_AFTER_EVERYONE_ASKED);
  /** The ids of {@code bpmn/emergency-deploy-review.bpmn} the code names. */
  public static final Set<String> REVIEW_MODEL = Set.of(REVIEW_EMERGENCY_DEPLOY, REVIEW_OVERDUE, ESCALATE_OVERDUE_REVIEW);

  private ActivityIds() {}
}
