package io.greenlight.sms;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.Notification;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.notify.Escalations;
import io.greenlight.notify.Notifications;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * "Send SMS": the text of PRODUCT.md §8 to the approver's phone, with a delivery status callback. A number
 * the provider refuses is recorded as failed; a provider that fails or cannot be reached fails the job, so it
 * is retried. Without SMS settings, or without a phone number, there is nothing to send.
 */
public class SendSms implements JavaDelegate {

  private final Optional<SmsSender> sender;
  private final Directory directory;
  private final String publicBaseUrl;
  private final Escalations escalations;

  public SendSms(SmsChannel channel, Directory directory, String publicBaseUrl, Escalations escalations) {
    this.escalations = escalations;
    this.sender = channel.sender();
    this.directory = directory;
    this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
  }

  @Override
  public void execute(DelegateExecution execution) {
    Optional<DirectoryFile.User> approver = directory.user((String) execution.getVariable(APPROVER));
    if (sender.isEmpty() || approver.isEmpty() || approver.get().phone() == null) {
      return;
    }
    Date expiresAt = (Date) execution.getVariable(EXPIRES_AT);
    String text = SmsText.approvalRequest((String) execution.getVariable(PROJECT_SLUG), (String) execution.getVariable(BRANCH),
        (String) execution.getVariable(COMMIT), (String) execution.getVariable(REQUESTED_BY), (String) execution.getVariable(CODE),
        expiresAt == null ? null : expiresAt.toInstant());
    String statusCallback = publicBaseUrl + SmsWebhooks.STATUS_PATH + "?request=" + execution.getProcessInstanceId()
        + "&user=" + URLEncoder.encode(approver.get().id(), StandardCharsets.UTF_8);
    String userId = approver.get().id();
    try {
      SmsSender.SentSms sent = sender.get().send(approver.get().phone(), text, statusCallback);
      Notifications.record(execution, new Notification(userId, Notification.SMS, ClockUtil.getCurrentTime().toInstant(),
          sent.status(), sent.messageId(), null));
    } catch (SmsRefusedException refused) {
      Notifications.record(execution, new Notification(userId, Notification.SMS, ClockUtil.getCurrentTime().toInstant(),
          "failed", null, refused.getMessage()));
      escalations.notReached(execution.getProcessInstanceId(), userId);
    }
  }
}
