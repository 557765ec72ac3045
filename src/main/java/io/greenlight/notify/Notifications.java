package io.greenlight.notify;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.metrics.GreenlightMetrics;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Keeps who was asked on which channel, and what became of each message, with the request (and counts it). */
public final class Notifications {

  private Notifications() {}

  public static void record(DelegateExecution execution, Notification notification) {
    execution.getProcessInstance().setVariable(notification.variableName(), JsonVariables.json(notification));
    GreenlightMetrics.notification(notification.channel(), notification.status());
  }
}
