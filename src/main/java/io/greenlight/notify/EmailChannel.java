package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.*;
import static io.greenlight.approval.ApprovalVariables.MESSAGE_LEAD;

import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.Notification;
import io.greenlight.approval.PublicLinks;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.DirectoryFile;
import jakarta.mail.SendFailedException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * E-mail, when Spring's mail is configured ({@code spring.mail.host}): the request's details and links to the Tasklist
 * task and to the request, as plain text (no HTML, so nothing a pipeline sends can turn into markup). A refused address
 * is recorded as failed; an unreachable or failing mail server fails the job, so it is retried.
 */
@Component
@Order(2)
public class EmailChannel implements Channel {

  private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Optional<JavaMailSender> mail;
  private final PublicLinks links;
  private final String from;

  @Autowired
  EmailChannel(ObjectProvider<JavaMailSender> mail, PublicLinks links, @Value("${greenlight.mail.from}") String from) {
    this(Optional.ofNullable(mail.getIfAvailable()), links, from);
    if (this.mail.isEmpty()) {
      log.warn("E-mail is off: set spring.mail.host (and spring.mail.*) to send approvers e-mail.");
    }
  }

  public EmailChannel(Optional<JavaMailSender> mail, PublicLinks links, String from) {
    this.mail = mail;
    this.links = links;
    this.from = from;
  }

  @Override
  public String name() {
    return Notification.EMAIL;
  }

  @Override
  public boolean reaches(DirectoryFile.User person) {
    return mail.isPresent() && person.email() != null;
  }

  @Override
  public void ask(DelegateExecution execution, DirectoryFile.User approver) {
    if (!reaches(approver)) {
      return;
    }
    RequestVariables request = RequestVariables.of(execution);
    String code = request.text(CODE);
    String lead = request.text(MESSAGE_LEAD);
    // "FROZEN: <reason>": the lead's first sentence.
    String frozen = lead != null && lead.startsWith("FROZEN") ? lead.substring(0, Math.max(6, lead.indexOf(". Until"))) + " - " : "";
    SimpleMailMessage message = message(approver, frozen + "Deploy approval: " + request.text(PROJECT_SLUG)
        + (request.text(BRANCH) == null ? "" : " " + request.text(BRANCH)) + " (code " + code + ")");
    message.setText(body(execution, approver, code));
    Notification sent = new Notification(approver.id(), Notification.EMAIL, ClockUtil.getCurrentTime().toInstant(),
        "sent", null, null);
    try {
      mail.get().send(message);
      Notifications.record(execution, sent);
    } catch (MailSendException e) {
      if (!refusedAddress(e)) {
        throw e;
      }
      Notifications.record(execution, sent.withStatus("failed", "The mail server refused " + approver.email()));
    }
  }

  @Override
  public Sent tell(DelegateExecution execution, DirectoryFile.User person, String text) {
    if (!reaches(person)) {
      return null;
    }
    SimpleMailMessage message = message(person, text.length() > 120 ? text.substring(0, 117) + "..." : text);
    message.setText(text + "\n\n-- Greenlight");
    mail.get().send(message);
    return new Sent("sent", null);
  }

  private SimpleMailMessage message(DirectoryFile.User to, String subject) {
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(from);
    message.setTo(to.email());
    message.setSubject(subject);
    return message;
  }

  private String body(DelegateExecution execution, DirectoryFile.User approver, String code) {
    Task task = execution.getProcessEngineServices().getTaskService().createTaskQuery()
        .processInstanceId(execution.getProcessInstanceId()).taskDefinitionKey(ActivityIds.DECIDE).singleResult();
    Instant expiresAt = RequestVariables.of(execution).instant(EXPIRES_AT);
    String lead = RequestVariables.of(execution).text(MESSAGE_LEAD);
    return (lead == null ? "" : lead + "\n\n") + String.join("\n",
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
        "Expires:      " + (expiresAt == null ? "-" : TIME.format(expiresAt)),
        "",
        ChangeSummary.shortLine(execution),
        changeLines(execution),
        "Decide in Tasklist: " + links.tasklist(task == null ? null : task.getId()),
        "or reply to the SMS: APPROVE " + code + " or REJECT " + code + " <reason>.",
        "",
        "The request: " + links.api(execution.getProcessInstanceId()),
        "",
        "-- Greenlight");
  }

  /** Up to 20 commit lines and the compare link, each indented; nothing when the change is not known. */
  private static String changeLines(DelegateExecution execution) {
    return String.join("\n", ChangeSummary.listing(RequestVariables.of(execution).json(CHANGES, ApprovalView.Changes.class))
        .stream().map(line -> "  " + line).toList());
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
