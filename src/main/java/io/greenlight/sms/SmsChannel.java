package io.greenlight.sms;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.GateKinds;
import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.Notification;
import io.greenlight.approval.PublicLinks;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.notify.Channel;
import io.greenlight.notify.Escalations;
import io.greenlight.notify.Notifications;
import io.greenlight.twilio.TwilioRefusedException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * SMS, through the sender in use: Twilio, the log (demo), or none when SMS is off. Asking sends the text of
 * {@link SmsText#approvalRequest} with a delivery status callback. A number the provider refuses is recorded as failed,
 * the approver is called instead when they may be, and when they were the only one asked the next level is asked at once; a provider that fails or cannot be
 * reached fails the job, so it is retried.
 */
public class SmsChannel implements Channel {

  private final Optional<SmsSender> sender;
  private final PublicLinks links;
  private final Escalations escalations;
  private final GateKinds gateKinds;

  public SmsChannel(Optional<SmsSender> sender, PublicLinks links, Escalations escalations, GateKinds gateKinds) {
    this.sender = sender;
    this.links = links;
    this.escalations = escalations;
    this.gateKinds = gateKinds;
  }

  @Override
  public String name() {
    return Notification.SMS;
  }

  @Override
  public boolean reaches(DirectoryFile.User person) {
    return sender.isPresent() && person.phone() != null;
  }

  @Override
  public void ask(DelegateExecution execution, DirectoryFile.User approver) {
    if (!reaches(approver)) {
      return;
    }
    RequestVariables request = RequestVariables.of(execution);
    String project = gateKinds.of(execution.getVariable(GATE)).project(request.text(PROJECT_SLUG),
        request.text(APPROVAL_JOB));
    String text = SmsText.withLead(request.text(MESSAGE_LEAD), SmsText.approvalRequest(project, request.text(BRANCH),
        request.text(COMMIT), request.text(REQUESTED_BY), request.text(CODE), request.instant(EXPIRES_AT),
        ChangeSummary.shortLine(execution), ChangeSummary.lines(execution, SmsText.COMMITS_IN_SMS)),
        SmsText.approvalRequest(project, request.text(BRANCH), request.text(COMMIT), request.text(REQUESTED_BY),
            request.text(CODE), request.instant(EXPIRES_AT)));
    String statusCallback = links.of(SmsWebhooks.STATUS_PATH) + "?request=" + execution.getProcessInstanceId()
        + "&user=" + URLEncoder.encode(approver.id(), StandardCharsets.UTF_8);
    try {
      SmsSender.SentSms sent = sender.get().send(approver.phone(), text, statusCallback);
      Notifications.record(execution, new Notification(approver.id(), Notification.SMS, ClockUtil.getCurrentTime().toInstant(),
          sent.status(), sent.messageId(), null));
    } catch (TwilioRefusedException refused) {
      Notifications.record(execution, new Notification(approver.id(), Notification.SMS, ClockUtil.getCurrentTime().toInstant(),
          "failed", null, refused.getMessage()));
      escalations.smsNotDelivered(execution.getProcessInstanceId(), approver.id());
    }
  }

  @Override
  public Sent tell(DelegateExecution execution, DirectoryFile.User person, String text) {
    if (!reaches(person)) {
      return null;
    }
    SmsSender.SentSms sent = sender.get().send(person.phone(), text, null);
    return new Sent(sent.status(), sent.messageId());
  }
}
