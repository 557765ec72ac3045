package io.greenlight.approval;

/**
 * Names of the process variables of {@code deployment-approval}, in one place. The BPMN model, the DMN
 * table and the Tasklist form use the same names; keep them in step.
 */
public final class ApprovalVariables {

  public static final String PROCESS_KEY = "deployment-approval";
  /** The routing table ({@code bpmn/approver-routing.dmn}): project and branch to approvers, quorum and timings. */
  public static final String ROUTING_DECISION = "approver-routing";

  // What the pipeline asked for
  public static final String PROJECT_SLUG = "projectSlug";
  public static final String WORKFLOW_ID = "workflowId";
  public static final String APPROVAL_JOB = "approvalJob";
  public static final String REQUESTED_BY = "requestedBy";
  public static final String BRANCH = "branch";
  public static final String COMMIT = "commit";
  public static final String BUILD_URL = "buildUrl";
  public static final String SUMMARY = "summary";
  public static final String REQUESTED_APPROVER_GROUP = "requestedApproverGroup";
  public static final String REQUESTED_THROUGH = "requestedThrough";
  public static final String API_CLIENT = "apiClient";
  public static final String CODE = "code";
  /** Which CI system holds the gate ({@link GateKinds}); absent on requests made before GitHub gates existed: CircleCI. */
  public static final String GATE = "gate";

  // A GitHub gate: what the signed deployment_protection_rule webhook said (the run is WORKFLOW_ID, the environment APPROVAL_JOB)
  public static final String GITHUB_CALLBACK_URL = "githubCallbackUrl";
  public static final String GITHUB_INSTALLATION_ID = "githubInstallationId";
  public static final String GITHUB_DEPLOYMENT_ID = "githubDeploymentId";
  public static final String GITHUB_DELIVERY = "githubDelivery";
  /** The call that carried the outcome to GitHub (JSON {@code GitHubCall}). */
  public static final String GITHUB_CALL = "githubCall";

  // What Greenlight found and decided
  public static final String STATUS = "status";
  public static final String FAILURE_REASON = "failureReason";
  public static final String APPROVAL_REQUEST_ID = "approvalRequestId";
  /** What the pipeline said of itself that CircleCI contradicts (JSON list of {@code OverruledClaim}). */
  public static final String OVERRULED_CLAIMS = "overruledClaims";
  /** The requester's login, when it matches no directory user (so nobody is excluded as the requester). */
  public static final String REQUESTER_NOT_IN_DIRECTORY = "requesterNotInDirectory";
  /**
   * Who is asked: directory groups and users, comma-separated in the order named (see {@code ApproverNames}); usually one
   * group. The routing table's output of the same name, unless the request named them.
   */
  public static final String APPROVER_GROUP = "approverGroup";
  public static final String REQUIRED_APPROVALS = "requiredApprovals";
  public static final String ESCALATE_AFTER = "escalateAfter";
  public static final String EXPIRE_AFTER = "expireAfter";
  public static final String EXPIRES_AT = "expiresAt";
  /**
   * The levels "Choose who to ask next" goes through, in order: its input on the diagram, a list of
   * {@link AskingLevels} names.
   */
  public static final String LEVELS = "levels";
  /** How far the asking went: 1 the first of the {@link #LEVELS}, and so on. */
  public static final String ESCALATION_LEVEL = "escalationLevel";
  /** The {@link AskingLevels} name of the level reached last. */
  public static final String LEVEL_ASKED = "levelAsked";
  /** Whether the last of the {@link #LEVELS} has been reached: nobody is left to escalate to. */
  public static final String EVERYONE_ASKED = "everyoneAsked";
  /** The group asked at the escalation-group level ({@code escalate-to}), once it is; its members may answer too. */
  public static final String ESCALATED_TO = "escalatedTo";
  /** Everyone asked so far (JSON list of user ids). */
  public static final String ASKED = "asked";
  /** The users a level newly asks, comma-separated, for "Notify approver". */
  public static final String TO_ASK = "toAsk";
  /** Prefix of the variables that record each message sent (see {@code notify.Notifications}). */
  public static final String NOTIFIED = "notified";
  /** The {@link AskingLevels} name of the level a "Notify approver" instance asks at (its input). */
  public static final String ASKED_AT_LEVEL = "askedAtLevel";
  /** The approver a "Notify approver" instance is about (its multi-instance element variable). */
  public static final String APPROVER = "approver";
  public static final String DECISIONS = "decisions";
  /**
   * The rules a request must meet (JSON list of {@code ApprovalRule}): the main one first (the approvers named, with the
   * quorum), then one per matching row of the routing table's {@code additional-approvals}; each with who counted toward
   * it. Absent on requests made before rules across groups: the main rule alone, as {@link #APPROVER_GROUP} and
   * {@link #REQUIRED_APPROVALS} say.
   */
  public static final String RULES = "rules";
  /** Where each rule stands, as people read it ("approvers: 1 of 1 (alice); security: 0 of 1"): for the Tasklist form. */
  public static final String RULES_PROGRESS = "rulesProgress";
  /** Which of the {@link #RULES} an "Ask each rule's approvers" instance asks for (its element variable: the index). */
  public static final String RULE = "rule";
  /** What the routing table's {@code additional-approvals} gave (the routing step's local result). */
  public static final String ADDITIONAL_APPROVALS = "additionalApprovals";
  /** The GitHub environment, or the CircleCI approval job's name: an input of the routing table's additional rules. */
  public static final String ENVIRONMENT = "environment";
  /** The change being deployed (JSON {@code ApprovalView.Changes}); absent or null while, or when, it is not known. */
  public static final String CHANGES = "changes";
  /** The change being deployed as people read it (a line, then the commits): for the Tasklist form. */
  public static final String CHANGES_TEXT = "changesText";
  /** Why the change being deployed is not known (first deploy of the gate, no GitHub App, not on GitHub). */
  public static final String CHANGES_UNKNOWN = "changesUnknown";
  public static final String CIRCLECI_CALL = "circleciCall";
  /** The retry policy of every step that calls another system, set once at the start of the model. */
  public static final String RETRY_CYCLE = "retryCycle";

  // What the deciding approver submits (Tasklist form, decision API)
  public static final String DECISION = "decision";
  public static final String COMMENT = "comment";

  // Freezes and break-glass
  /** The break-glass approval that decided the request (JSON: by, reason, at); unset for any other request. */
  public static final String BREAK_GLASS = "breakGlass";
  /** The review of a break-glass approval, a process of its own whose business key is the request's id. */
  public static final String REVIEW_PROCESS_KEY = "emergency-deploy-review";
  /** The reviewer's verdict: {@code acknowledged}, or {@code concern} (with a comment). */
  public static final String REVIEW_OUTCOME = "reviewOutcome";
  public static final String ACKNOWLEDGED = "acknowledged";
  public static final String CONCERN = "concern";
  /** The review's due date (and when an open review escalates). */
  public static final String REVIEW_DUE = "reviewDue";
  /** The request a review is about. */
  public static final String REQUEST_ID = "requestId";
  /** What a review shows of the break-glass approval it reviews (text, for its form). */
  public static final String BREAK_GLASS_BY = "breakGlassBy";
  public static final String BREAK_GLASS_REASON = "breakGlassReason";
  public static final String BREAK_GLASS_AT = "breakGlassAt";
  /** Who gave a review, and when, as its listener recorded them. */
  public static final String REVIEWED_BY = "reviewedBy";
  public static final String REVIEWED_AT = "reviewedAt";
  /** When the freeze that held the request ended (its normal approvers are then told deploys are open again). */
  public static final String WAS_FROZEN_UNTIL = "wasFrozenUntil";
  /** What a message to an approver starts with (transient, of one channel task): that deploys are frozen, or open again. */
  public static final String MESSAGE_LEAD = "messageLead";

  private ApprovalVariables() {}
}
