package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER;
import static io.greenlight.approval.ApprovalVariables.ASKED;
import static io.greenlight.approval.ApprovalVariables.RULES;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RuleEscalations;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * Asks the next level at once instead of when {@code escalateAfter} has passed: on an approver's ESCALATE reply,
 * or when the only person asked could not be reached. A person whose SMS was not delivered is called instead, when they
 * may be ("SMS not delivered" on the diagram).
 */
@Component
public class Escalations {

  public static final String SMS_NOT_DELIVERED = "SmsNotDelivered";

  private final RuntimeService runtime;
  private final Directory directory;

  public Escalations(RuntimeService runtime, Directory directory) {
    this.runtime = runtime;
    this.directory = directory;
  }

  /**
   * {@code user} cannot be reached: a rule that asked nobody else cannot wait for {@code escalateAfter} to ask its next
   * level (a request without rules: when nobody else was asked at all).
   */
  public void notReached(String requestId, String user) {
    if (runtime.getVariableTyped(requestId, RULES, false) != null) {
      RuleEscalations.escalate(runtime, requestId, rule -> rule.asked().equals(List.of(user)));
    } else if (JsonVariables.list(runtime.getVariableTyped(requestId, ASKED, false), String.class).equals(List.of(user))) {
      RuleEscalations.escalate(runtime, requestId, rule -> true);
    }
  }

  /**
   * The SMS to {@code user} could not be delivered: a person who may be called ({@code voice: true}) is called while the
   * request is still asking, and they count as not reached.
   */
  public void smsNotDelivered(String requestId, String user) {
    if (directory.user(user).filter(DirectoryFile.User::voice).isPresent()) {
      runtime.createMessageCorrelation(SMS_NOT_DELIVERED).processInstanceId(requestId).setVariableLocal(APPROVER, user)
          .correlateAllWithResult();
    }
    notReached(requestId, user);
  }
}
