package io.greenlight.gate;

import java.sql.Timestamp;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Calls to the gate (approve, cancel, GitHub's review) about to be made, each committed before the call in a
 * transaction of its own. The job that makes a call commits after the CI system answered; if Greenlight dies in
 * between ({@code kill -9}, a lost node), the job runs again and finds the gate in the very state its call causes. The
 * committed attempt tells it the call was its own and went through, not that somebody decided elsewhere meanwhile.
 */
public class CallAttempts {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate ownTransaction;

  /** @param ownTransaction a template that opens a new transaction (propagation REQUIRES_NEW) */
  public CallAttempts(JdbcTemplate jdbc, TransactionTemplate ownTransaction) {
    this.jdbc = jdbc;
    this.ownTransaction = ownTransaction;
  }

  /** Committed at once, whatever becomes of the transaction of the job that calls; with whose token, for the record. */
  public void recordBeforeCalling(String processInstanceId, String action, String tokenOwner) {
    Timestamp now = new Timestamp(ClockUtil.getCurrentTime().getTime());
    ownTransaction.executeWithoutResult(status -> {
      int updated = jdbc.update("update greenlight_circleci_attempt set attempted_at = ?, token_owner = ? "
          + "where process_instance_id = ? and action = ?", now, tokenOwner, processInstanceId, action);
      if (updated == 0) {
        jdbc.update("insert into greenlight_circleci_attempt (process_instance_id, action, attempted_at, token_owner) values (?, ?, ?, ?)",
            processInstanceId, action, now, tokenOwner);
      }
    });
  }

  /** Whose token the last attempt of this call used; empty when it was never attempted. */
  public Optional<String> attemptedWith(String processInstanceId, String action) {
    return jdbc.queryForList("select token_owner from greenlight_circleci_attempt where process_instance_id = ? and action = ?",
        String.class, processInstanceId, action).stream().findFirst();
  }

  /** The call was refused in a way that proves it did nothing (a refused token, a rate limit): no attempt to find later. */
  public void forget(String processInstanceId, String action) {
    ownTransaction.executeWithoutResult(status -> jdbc.update(
        "delete from greenlight_circleci_attempt where process_instance_id = ? and action = ?", processInstanceId, action));
  }

  /** {@code ${circleCiCallAttempts.forget(execution)}}: the process's end listener; an ended request calls nobody. */
  public void forget(DelegateExecution execution) {
    jdbc.update("delete from greenlight_circleci_attempt where process_instance_id = ?", execution.getProcessInstanceId());
  }
}
