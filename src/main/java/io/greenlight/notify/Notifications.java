package io.greenlight.notify;

import io.greenlight.metrics.GreenlightMetrics;
import static io.greenlight.approval.ApprovalVariables.NOTIFIED;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.metrics.GreenlightMetrics;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Who was asked on which channel, and what became of each message. Every message is a variable of its own
 * ({@code notified:sms:<MessageSid>}, {@code notified:email:<user>:<time>}): the jobs that send and the delivery
 * reports that come back never write the same variable, so neither can make the other fail and send twice.
 * The API shows them together as {@code notified}.
 */
public final class Notifications {

  static final String PREFIX = NOTIFIED + ":";

  private Notifications() {}

  public static void record(DelegateExecution execution, Notification notification) {
    execution.getProcessInstance().setVariable(variableName(notification), JsonVariables.json(notification));
    GreenlightMetrics.notification(notification.channel(), notification.status());
  }

  /** The variable of the SMS Twilio knows by this MessageSid. */
  public static String smsVariable(String messageSid) {
    return PREFIX + Notification.SMS + ":" + messageSid;
  }

  static String variableName(Notification notification) {
    return notification.reference() != null && Notification.SMS.equals(notification.channel())
        ? smsVariable(notification.reference())
        : PREFIX + notification.channel() + ":" + notification.user() + ":" + notification.at().toEpochMilli();
  }

  /** Every notification among a request's variables (name → typed value), oldest first. */
  public static List<Notification> in(Map<String, Object> variables) {
    return variables.entrySet().stream()
        .filter(variable -> variable.getKey().startsWith(PREFIX))
        .map(variable -> JsonVariables.<Notification>read(variable.getValue(), Notification.class))
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(Notification::at).thenComparing(Notification::user).thenComparing(Notification::channel))
        .toList();
  }
}
