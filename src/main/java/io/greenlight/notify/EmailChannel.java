package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.Notification;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import jakarta.mail.SendFailedException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * "Send e-mail": the request's details and links to the Tasklist task and to the request, as plain text (no
 * HTML, so nothing a pipeline sends can turn into markup). A refused address is recorded as failed; an
 * unreachable or failing mail server fails the job, so it is retried.
 */
public class SendEmail implements JavaDelegate {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Optional<JavaMailSender> mail;
  private final Directory directory;
  private final String publicBaseUrl;
  private final String from;

  public SendEmail(Optional<JavaMailSender> mail, Directory directory, String publicBaseUrl, String from) {
    this.mail = mail;
    this.directory = directory;
    this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
    this.from = from;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Optional<DirectoryFile.User> approver = directory.user((String) execution.getVariable(APPROVER));
    if (mail.isEmpty() || approver.isEmpty() || approver.get().email() == null) {
      return;
    }
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(from);
    message.setTo(approver.get().email());
    String code = (String) execution.getVariable(CODE);
    message.setSubject("Deploy approval: " + execution.getVariable(PROJECT_SLUG)
        + (execution.getVariable(BRANCH) == null ? "" : " " + execution.getVariable(BRANCH)) + " (code " + code + ")");
    message.setText(body(execution, approver.get(), code));
    Notification sent = new Notification(approver.get().id(), Notification.EMAIL, ClockUtil.getCurrentTime().toInstant(),
        "sent", null, null);
    try {
      mail.get().send(message);
      Notifications.record(execution, sent);
    } catch (MailSendException e) {
      if (!refusedAddress(e)) {
        throw e;
      }
      Notifications.record(execution, sent.withStatus("failed", "The mail server refused " + approver.get().email()));
    }
  }

  private String body(DelegateExecution execution, DirectoryFile.User approver, String code) {
    Task task = execution.getProcessEngineServices().getTaskService().createTaskQuery()
        .processInstanceId(execution.getProcessInstanceId()).taskDefinitionKey(DECIDE_TASK).singleResult();
    Date expiresAt = (Date) execution.getVariable(EXPIRES_AT);
    return String.join("\n",
        "Hello " + (approver.name() == null ? approver.id() : approver.name()) + ",",
        "",
        "a deployment waits for your approval.",
        "",
        "Project:      " + text(execution, PROJECT_SLUG),
        "Branch:       " + text(execution, BRANCH),
        "Commit:       " + text(execution, COMMIT),
        "Requested by: " + text(execution, REQUESTED_BY),
        "Summary:      " + text(execution, SUMMARY),
        "Build:        " + text(execution, BUILD_URL),
        "Expires:      " + (expiresAt == null ? "-" : TIME.format(expiresAt.toInstant())),
        "",
        "Decide in Tasklist: " + publicBaseUrl + "/camunda/app/tasklist/default/" + (task == null ? "" : "#/?task=" + task.getId()),
        "or reply to the SMS: APPROVE " + code + " or REJECT " + code + " <reason>.",
        "",
        "The request: " + publicBaseUrl + "/api/approvals/" + execution.getProcessInstanceId(),
        "",
        "-- Greenlight");
  }

  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    return value == null ? "-" : value.toString();
  }

  /** The server said no to the address itself: sending again will not help. */
  private static boolean refusedAddress(MailSendException e) {
    return e.getFailedMessages().values().stream().anyMatch(failure -> failure instanceof SendFailedException sendFailed
        && sendFailed.getInvalidAddresses() != null && sendFailed.getInvalidAddresses().length > 0);
  }
}
