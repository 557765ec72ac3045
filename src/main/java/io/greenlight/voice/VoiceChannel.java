package io.greenlight.voice;

import static io.greenlight.approval.ApprovalVariables.*;
import static io.greenlight.approval.ApprovalVariables.MESSAGE_LEAD;

import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.GateKinds;
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
 * Phone calls: an approver with {@code voice: true} is called, hears the request and answers with one key
 * ({@link CallScript}). Which levels call is the diagram's ("Notify approver" and its input {@code voiceAtLevels}; "Call
 * when the SMS was not delivered"). A number Twilio refuses is recorded as failed and the person counts as not reached; Twilio failing or
 * out of reach fails the job, so it is retried. Outcomes are not phoned: a call at night to say "approved" helps nobody.
 */
public class VoiceChannel implements Channel {

  private final Optional<TwilioCalls> calls;
  private final PublicLinks links;
  private final Escalations escalations;
  private final GateKinds gateKinds;

  VoiceChannel(Optional<TwilioCalls> calls, PublicLinks links, Escalations escalations, GateKinds gateKinds) {
    this.calls = calls;
    this.links = links;
    this.escalations = escalations;
    this.gateKinds = gateKinds;
  }

  @Override
  public String name() {
    return Notification.VOICE;
  }

  @Override
  public boolean reaches(DirectoryFile.User person) {
    return calls.isPresent() && person.voice() && person.phone() != null;
  }

  @Override
  public void ask(DelegateExecution execution, DirectoryFile.User approver) {
    if (!reaches(approver)) {
      return;
    }
    RequestVariables request = RequestVariables.of(execution);
    String requestId = execution.getProcessInstanceId();
    String project = gateKinds.of(execution.getVariable(GATE)).project(request.text(PROJECT_SLUG),
        request.text(APPROVAL_JOB));
    String lead = request.text(MESSAGE_LEAD);
    String script = CallScript.ask((lead == null ? "" : lead + " ") + CallScript.request(project, request.text(BRANCH),
        request.text(COMMIT), request.text(REQUESTED_BY)) + " " + ChangeSummary.spoken(execution),
        CallScript.gatherUrl(links.of(""), requestId, approver.id()));
    String statusCallback = links.of(CallScript.STATUS_PATH) + "?request=" + requestId
        + "&user=" + URLEncoder.encode(approver.id(), StandardCharsets.UTF_8);
    try {
      TwilioCalls.Placed placed = calls.get().call(approver.phone(), script, statusCallback);
      Notifications.record(execution, new Notification(approver.id(), Notification.VOICE, ClockUtil.getCurrentTime().toInstant(),
          placed.status(), placed.callSid(), null));
    } catch (TwilioRefusedException refused) {
      Notifications.record(execution, new Notification(approver.id(), Notification.VOICE, ClockUtil.getCurrentTime().toInstant(),
          "failed", null, refused.getMessage()));
      escalations.notReached(requestId, approver.id());
    }
  }

  @Override
  public Sent tell(DelegateExecution execution, DirectoryFile.User person, String text) {
    return null;
  }
}
