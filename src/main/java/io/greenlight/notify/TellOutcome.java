package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.CircleCiCall;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.sms.SmsChannel;
import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * "Tell everyone the outcome", for one recipient (the task runs once for the requester and once for everyone
 * asked): an SMS and an e-mail saying how the request ended. A message that fails is recorded, not retried, so
 * the other channel is not sent twice.
 */
public class TellOutcome implements JavaDelegate {

  static final String OUTCOME = "outcome";
  /** The multi-instance element variable: whom this instance tells. */
  static final String RECIPIENT = "recipient";
  private static final Logger log = LoggerFactory.getLogger(TellOutcome.class);

  private final SmsChannel sms;
  private final Optional<JavaMailSender> mail;
  private final Directory directory;
  private final String from;

  public TellOutcome(SmsChannel sms, Optional<JavaMailSender> mail, Directory directory, String from) {
    this.sms = sms;
    this.mail = mail;
    this.directory = directory;
    this.from = from;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String recorded = (String) execution.getVariable(STATUS);
    ApprovalStatus status = recorded == null ? ApprovalStatus.CANCELLED : ApprovalStatus.valueOf(recorded);
    String what = execution.getVariable(PROJECT_SLUG)
        + (execution.getVariable(BRANCH) == null ? "" : " " + execution.getVariable(BRANCH))
        + (execution.getVariable(COMMIT) instanceof String commit ? " " + commit.substring(0, Math.min(7, commit.length())) : "");
    String text = OutcomeText.of(status, what, (String) execution.getVariable(CODE),
        JsonVariables.list(execution, DECISIONS, Decision.class), (String) execution.getVariable(FAILURE_REASON),
        JsonVariables.read(execution.getVariable(CIRCLECI_CALL), CircleCiCall.class));

    directory.user((String) execution.getVariable(RECIPIENT)).ifPresent(user -> tell(execution, user, text));
  }

  private void tell(DelegateExecution execution, DirectoryFile.User user, String text) {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    if (sms.sender().isPresent() && user.phone() != null) {
      try {
        var sent = sms.sender().get().send(user.phone(), text, null);
        Notifications.record(execution, new Notification(user.id(), Notification.SMS, now, sent.status(), sent.messageId(), OUTCOME));
      } catch (RuntimeException failed) {
        log.warn("Could not text {} the outcome of request {}: {}", user.id(), execution.getProcessInstanceId(), failed.getMessage());
        Notifications.record(execution, new Notification(user.id(), Notification.SMS, now, "failed", null, OUTCOME + ": " + failed.getMessage()));
      }
    }
    if (mail.isPresent() && user.email() != null) {
      SimpleMailMessage message = new SimpleMailMessage();
      message.setFrom(from);
      message.setTo(user.email());
      message.setSubject(text.length() > 120 ? text.substring(0, 117) + "..." : text);
      message.setText(text + "\n\n-- Greenlight");
      try {
        mail.get().send(message);
        Notifications.record(execution, new Notification(user.id(), Notification.EMAIL, now, "sent", null, OUTCOME));
      } catch (RuntimeException failed) {
        log.warn("Could not e-mail {} the outcome of request {}: {}", user.id(), execution.getProcessInstanceId(), failed.getMessage());
        Notifications.record(execution, new Notification(user.id(), Notification.EMAIL, now, "failed", null, OUTCOME + ": " + failed.getMessage()));
      }
    }
  }
}
