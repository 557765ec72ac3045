package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.GateKind;
import io.greenlight.approval.GateKinds;
import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.Decision;
import io.greenlight.approval.Notification;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Tell everyone the outcome", for one recipient (the task runs once for the requester and once for everyone
 * asked): how the request ended, on every channel that reaches them. A message that fails is recorded, not retried, so
 * the other channels are not sent twice.
 */
@Component("tellOutcome")
public class TellOutcome implements JavaDelegate {

  static final String OUTCOME = "outcome";
  /** The multi-instance element variable: whom this instance tells. */
  static final String RECIPIENT = "recipient";
  private static final Logger log = LoggerFactory.getLogger(TellOutcome.class);

  private final Channels channels;
  private final Directory directory;
  private final GateKinds gateKinds;

  public TellOutcome(Channels channels, Directory directory, GateKinds gateKinds) {
    this.channels = channels;
    this.directory = directory;
    this.gateKinds = gateKinds;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    String recorded = request.text(STATUS);
    ApprovalStatus status = recorded == null ? ApprovalStatus.CANCELLED : ApprovalStatus.valueOf(recorded);
    String commit = request.text(COMMIT);
    GateKind gate = gateKinds.of(execution.getVariable(GATE));
    String what = gate.project(request.text(PROJECT_SLUG), request.text(APPROVAL_JOB))
        + (request.text(BRANCH) == null ? "" : " " + request.text(BRANCH))
        + (commit == null ? "" : " " + commit.substring(0, Math.min(7, commit.length())));
    String text = OutcomeText.of(status, what, request.text(CODE), request.list(DECISIONS, Decision.class),
        request.text(FAILURE_REASON), gate.stoppedTheDeploy(request), gate);

    directory.user(request.text(RECIPIENT)).ifPresent(user -> tell(execution, user, text));
  }

  private void tell(DelegateExecution execution, DirectoryFile.User user, String text) {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    for (Channel channel : channels.all()) {
      try {
        Channel.Sent sent = channel.tell(execution, user, text);
        if (sent != null) {
          Notifications.record(execution, new Notification(user.id(), channel.name(), now, sent.status(), sent.reference(), OUTCOME));
        }
      } catch (RuntimeException failed) {
        log.warn("Could not tell {} the outcome of request {} by {}: {}", user.id(), execution.getProcessInstanceId(),
            channel.name(), failed.getMessage());
        Notifications.record(execution, new Notification(user.id(), channel.name(), now, "failed", null,
            OUTCOME + ": " + failed.getMessage()));
      }
    }
  }
}
