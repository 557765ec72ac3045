package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.NOTIFIED;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import java.util.List;
import java.util.function.UnaryOperator;
import org.camunda.bpm.engine.delegate.VariableScope;

/** The request's {@code notified} list: who was asked on which channel, and what became of each message. */
public final class Notifications {

  private Notifications() {}

  public static void record(VariableScope scope, Notification notification) {
    JsonVariables.append(scope, NOTIFIED, Notification.class, notification);
  }

  /** The list with {@code change} applied to the entries of this provider reference; null when there is none. */
  public static List<Notification> updated(List<Notification> notified, String reference, UnaryOperator<Notification> change) {
    boolean found = false;
    for (int i = 0; i < notified.size(); i++) {
      if (reference.equals(notified.get(i).reference())) {
        notified.set(i, change.apply(notified.get(i)));
        found = true;
      }
    }
    return found ? notified : null;
  }
}
