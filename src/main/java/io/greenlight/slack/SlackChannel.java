package io.greenlight.slack;

import static io.greenlight.approval.ApprovalVariables.*;
import static io.greenlight.approval.ApprovalVariables.MESSAGE_LEAD;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.Notification;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.notify.Channel;
import io.greenlight.notify.Escalations;
import io.greenlight.notify.Notifications;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Slack: a direct message with Approve and Reject buttons to an approver who has a Slack member id in the directory.
 * When the request ends, every such message is updated to say how, its buttons gone. A member id Slack does not know is
 * recorded as failed (and, when that approver was the only one asked, the next level is asked at once); Slack failing or
 * out of reach fails the job, so it is retried without holding up the other channels.
 */
public class SlackChannel implements Channel {

  private final Optional<SlackApi> slack;
  private final Escalations escalations;

  public SlackChannel(Optional<SlackApi> slack, Escalations escalations) {
    this.slack = slack;
    this.escalations = escalations;
  }

  @Override
  public String name() {
    return Notification.SLACK;
  }

  @Override
  public boolean reaches(DirectoryFile.User person) {
    return slack.isPresent() && person.slack() != null;
  }

  @Override
  public void ask(DelegateExecution execution, DirectoryFile.User approver) {
    if (!reaches(approver)) {
      return;
    }
    RequestVariables request = RequestVariables.of(execution);
    SlackMessages.Ask ask = new SlackMessages.Ask(execution.getProcessInstanceId(), request.text(PROJECT_SLUG),
        request.text(BRANCH), request.text(COMMIT), request.text(REQUESTED_BY), request.text(SUMMARY),
        request.text(BUILD_URL), request.instant(EXPIRES_AT), ChangeSummary.shortLine(execution),
        ChangeSummary.lines(execution, ApprovalView.Changes.LISTED),
        java.util.Optional.ofNullable(request.json(CHANGES, ApprovalView.Changes.class)).map(ApprovalView.Changes::compareUrl).orElse(null),
        request.text(MESSAGE_LEAD));
    try {
      SlackApi.Posted posted = slack.get().postMessage(approver.slack(), SlackMessages.askText(ask), SlackMessages.askBlocks(ask));
      Notifications.record(execution, new Notification(approver.id(), Notification.SLACK, ClockUtil.getCurrentTime().toInstant(),
          "sent", posted.reference(), null));
    } catch (SlackRefusedException refused) {
      Notifications.record(execution, new Notification(approver.id(), Notification.SLACK, ClockUtil.getCurrentTime().toInstant(),
          "failed", null, refused.getMessage()));
      escalations.notReached(execution.getProcessInstanceId(), approver.id());
    }
  }

  /** Everyone asked has their messages updated; anyone else (the requester) gets a message of their own. */
  @Override
  public Sent tell(DelegateExecution execution, DirectoryFile.User person, String text) {
    if (!reaches(person)) {
      return null;
    }
    List<String> updated = new ArrayList<>();
    for (Notification asked : Notification.allIn(execution.getProcessInstance().getVariables())) {
      SlackApi.Posted message = SlackApi.Posted.of(asked.reference());
      if (asked.user().equals(person.id()) && Notification.SLACK.equals(asked.channel()) && asked.detail() == null && message != null) {
        slack.get().update(message, text, SlackMessages.outcomeBlocks(text));
        updated.add(message.reference());
      }
    }
    if (!updated.isEmpty()) {
      return new Sent("updated", String.join(" ", updated));
    }
    SlackApi.Posted posted = slack.get().postMessage(person.slack(), text, SlackMessages.outcomeBlocks(text));
    return new Sent("sent", posted.reference());
  }

  /** Opens the form asking the clicker's reason for rejecting, with Slack's trigger of their click (three seconds, once). */
  void askForTheReason(String triggerId, String requestId, String what, boolean breakGlass) {
    slack.orElseThrow(() -> new IllegalStateException("Slack is off")).openView(triggerId,
        breakGlass ? SlackMessages.breakGlassModal(requestId, what) : SlackMessages.reasonModal(requestId, what));
  }

  /** Tells one person something at once, outside any request's steps (an answer to their click); false when Slack is off. */
  boolean answer(String memberId, String text) {
    if (slack.isEmpty()) {
      return false;
    }
    slack.get().postMessage(memberId, text, SlackMessages.answerBlocks(text));
    return true;
  }
}
