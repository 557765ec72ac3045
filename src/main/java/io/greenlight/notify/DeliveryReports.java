package io.greenlight.notify;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.answer.RetryOnConflict;
import io.greenlight.metrics.GreenlightMetrics;
import java.util.Optional;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.springframework.dao.DuplicateKeyException;
import java.sql.Timestamp;
import java.util.List;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a provider reports later of a message or call it was given (Twilio's status callbacks): the status lands in
 * that notification's variable, and a person it could not reach is handled as {@link Escalations} says.
 */
@Component
public class DeliveryReports {

  private final RuntimeService runtime;
  private final HistoryService history;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final Escalations escalations;

  public DeliveryReports(RuntimeService runtime, HistoryService history, JdbcTemplate jdbc, TransactionTemplate transaction,
                         Escalations escalations) {
    this.runtime = runtime;
    this.history = history;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.escalations = escalations;
  }

  /**
   * Records {@code status} (and {@code detail}, why it failed) on the notification kept in {@code variable} of the
   * request; {@code notReached} says the person did not get it. A request that has ended, or a notification it does not
   * have, keeps it beside the request's history. A report racing another for the same request is tried again.
   */
  public void record(String requestId, String variable, String status, String detail, boolean notReached) {
    RetryOnConflict.attempt(last -> {
      try {
        transaction.executeWithoutResult(tx -> recordOnce(requestId, variable, status, detail, notReached));
        return Optional.of(true);
      } catch (OptimisticLockingException | DuplicateKeyException | NullValueException concurrentChange) {
        // Another report for the same message at the same moment (its row or its variable written first), or the request
        // ended between reading and writing: the next attempt sees how things stand.
        if (last) {
          throw concurrentChange;
        }
        return Optional.empty();
      }
    });
  }

  /**
   * The request has ended (the report of the call that decided it, the final "delivered" of an SMS, often come a moment
   * later): its history no longer changes, so the report is kept beside it, for the notification it names, and shown
   * with it ({@code ApprovalRequests}). Nothing is asked of anyone any more.
   */
  private void recordAfterTheEnd(String requestId, String variable, String status, String detail) {
    HistoricVariableInstance kept = history.createHistoricVariableInstanceQuery().processInstanceId(requestId)
        .variableName(variable).disableCustomObjectDeserialization().singleResult();
    Notification sent = kept == null ? null : JsonVariables.read(kept.getTypedValue(), Notification.class);
    if (sent == null) {
      return;
    }
    // Locked while this report is merged into it, so two reports of one message cannot overwrite each other.
    List<Notification> earlier = jdbc.query("select status, detail from greenlight_late_report where request_id = ? and variable = ? for update",
        (row, number) -> sent.withStatus(row.getString(1), row.getString(2)), requestId, variable);
    Notification before = earlier.isEmpty() ? sent : earlier.get(0);
    // Reports may come out of order: the notification keeps whichever status comes later in a message's life.
    Notification reported = before.withStatus(status, detail);
    Timestamp now = new Timestamp(ClockUtil.getCurrentTime().getTime());
    if (earlier.isEmpty()) {
      jdbc.update("insert into greenlight_late_report (request_id, variable, status, detail, reported_at) values (?, ?, ?, ?, ?)",
          requestId, variable, reported.status(), reported.detail(), now);
    } else {
      jdbc.update("update greenlight_late_report set status = ?, detail = ?, reported_at = ? where request_id = ? and variable = ?",
          reported.status(), reported.detail(), now, requestId, variable);
    }
    if (!reported.status().equals(before.status())) {
      GreenlightMetrics.notification(sent.channel(), reported.status());
    }
  }

  /** Read and write in one transaction, so a report racing another for the same message fails and is tried again. */
  private void recordOnce(String requestId, String variable, String status, String detail, boolean notReached) {
    if (runtime.createProcessInstanceQuery().processInstanceId(requestId).count() == 0) {
      recordAfterTheEnd(requestId, variable, status, detail);
      return;
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
