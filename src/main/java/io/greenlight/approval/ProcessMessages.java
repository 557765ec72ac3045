package io.greenlight.approval;

/** The names of the messages {@code bpmn/deployment-approval.bpmn} waits for, in one place. */
public final class ProcessMessages {

  /** "Escalate now": an approver's escalate answer, or the only person asked could not be reached. */
  public static final String ESCALATE_NOW = "EscalateNow";

  private ProcessMessages() {}
}
