package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.ASKED;

import io.greenlight.approval.JsonVariables;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * Asks the next level at once instead of when {@code escalateAfter} has passed: on an approver's ESCALATE reply,
 * or when the only person asked could not be reached.
 */
@Component
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

  /** {@code user} cannot be reached: when nobody else was asked, asking the next level cannot wait for {@code escalateAfter}. */
  public void notReached(String requestId, String user) {
    List<String> asked = JsonVariables.list(runtime.getVariableTyped(requestId, ASKED, false), String.class);
    if (asked.equals(List.of(user))) {
      escalateNow(requestId);
    }
  }
}
