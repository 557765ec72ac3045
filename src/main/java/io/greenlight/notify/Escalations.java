package io.greenlight.notify;

import org.camunda.bpm.engine.RuntimeService;

/**
 * Asks the next level at once instead of when {@code escalateAfter} has passed: on an approver's ESCALATE reply,
 * or when the only person asked could not be reached.
 */
public class Escalations {

  public static final String ESCALATE_NOW = "EscalateNow";

  private final RuntimeService runtime;

  public Escalations(RuntimeService runtime) {
    this.runtime = runtime;
  }

  /** False when there is no higher level to ask (everyone has been asked, or the request is not asking). */
  public boolean escalateNow(String requestId) {
    return !runtime.createMessageCorrelation(ESCALATE_NOW).processInstanceId(requestId).correlateAllWithResult().isEmpty();
  }
}
