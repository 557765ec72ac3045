package io.greenlight.approval;

/** The names of the messages {@code bpmn/deployment-approval.bpmn} waits for, in one place. */
public final class ProcessMessages {

  /** "Escalate now": an approver's escalate answer, or the only person asked could not be reached. */
  public static final String ESCALATE_NOW = "EscalateNow";

  /**
   * "Frozen meanwhile": deploys of the request's project were frozen after its approvers were asked (a freeze declared,
   * or an approval refused because of one): the break-glass group is asked.
   */
  public static final String DEPLOYS_FROZEN = "DeploysFrozen";

  private ProcessMessages() {}
}
