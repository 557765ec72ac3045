package io.greenlight.notify;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.decision.RetryOnConflict;
import io.greenlight.metrics.GreenlightMetrics;
import java.util.Optional;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a provider reports later of a message or call it was given (Twilio's status callbacks): the status lands in
 * that notification's variable, and a person it could not reach is handled as {@link Escalations} says.
 */
@Component
public class DeliveryReports {

  private final RuntimeService runtime;
  private final TransactionTemplate transaction;
  private final Escalations escalations;

  public DeliveryReports(RuntimeService runtime, TransactionTemplate transaction, Escalations escalations) {
    this.runtime = runtime;
    this.transaction = transaction;
    this.escalations = escalations;
  }

  /**
   * Records {@code status} (and {@code detail}, why it failed) on the notification kept in {@code variable} of the
   * request; {@code notReached} says the person did not get it. A request that has ended, or a notification it does not
   * have, is left as it is. A report racing another for the same request is tried again.
   */
  public void record(String requestId, String variable, String status, String detail, boolean notReached) {
    RetryOnConflict.attempt(last -> {
      try {
        transaction.executeWithoutResult(tx -> recordOnce(requestId, variable, status, detail, notReached));
        return Optional.of(true);
      } catch (OptimisticLockingException concurrentChange) {
        if (last) {
          throw concurrentChange;
        }
        return Optional.empty();
      }
    });
  }

  /** Read and write in one transaction, so a report racing another for the same message fails and is tried again. */
  private void recordOnce(String requestId, String variable, String status, String detail, boolean notReached) {
    if (runtime.createProcessInstanceQuery().processInstanceId(requestId).count() == 0) {
      return; // the request has ended; its history stays as it was
    }
    Notification sent = JsonVariables.read(runtime.getVariableTyped(requestId, variable, false), Notification.class);
    if (sent == null) {
      return;
    }
    Notification reported = sent.withStatus(status, detail);
    runtime.setVariable(requestId, variable, JsonVariables.json(reported));
    if (!reported.status().equals(sent.status())) {
      GreenlightMetrics.notification(sent.channel(), reported.status());
    }
    if (notReached) {
      if (Notification.SMS.equals(sent.channel())) {
        escalations.smsNotDelivered(requestId, sent.user());
      } else {
        escalations.notReached(requestId, sent.user());
      }
    }
  }
}
