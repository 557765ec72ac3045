package io.greenlight.answer;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The short numeric codes of pending requests ({@code APPROVE 4821}). A code is reserved in Greenlight's
 * table when a request starts and released when it ends, so it is unique among pending requests on every
 * node and never reused while its request is pending. Four digits while fewer than 5,000 requests are pending, then
 * five, and so on. The same row holds the
 * request's gate, unique too: one pending request per gate, whichever node is asked.
 */
@Component("approvalCodes")
public class ApprovalCodes {

  private static final int ATTEMPTS_PER_LENGTH = 30;

  private final JdbcTemplate jdbc;
  private final SecureRandom random = new SecureRandom();

  public ApprovalCodes(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A code no pending request has now, to start a new request with; {@link #reserve} makes it the request's. Two
   * requests starting at once may pick the same code: the second reservation then fails with a duplicate key.
   */
  public String freeCode() {
    // As many digits as keep at least half the codes free, so a random pick is free at the first or second try: four
    // digits up to 5,000 pending requests, five up to 50,000.
    long reserved = jdbc.queryForObject("select count(*) from greenlight_approval_code", Long.class);
    int shortest = 4;
    while (shortest < 8 && reserved >= Math.pow(10, shortest) / 2) {
      shortest++;
    }
    for (int digits = shortest; digits <= 8; digits++) {
      int bound = (int) Math.pow(10, digits);
      for (int attempt = 0; attempt < ATTEMPTS_PER_LENGTH; attempt++) {
        String code = String.format("%0" + digits + "d", random.nextInt(bound));
        if (pendingRequest(code).isEmpty()) {
          return code;
        }
      }
    }
    throw new IllegalStateException("No free approval code: too many pending requests");
  }

  /**
   * Reserves {@code code} for a new request, and its gate: runs in the transaction that starts the request, and fails
   * with a duplicate key when another request took the code or started for the same gate meanwhile (on any node).
   */
  public void reserve(String code, String processInstanceId, String gate) {
    jdbc.update("insert into greenlight_approval_code (code, process_instance_id, reserved_at, gate) values (?, ?, ?, ?)",
        code, processInstanceId, new Timestamp(ClockUtil.getCurrentTime().getTime()), gate);
  }

  /** The pending request with this code. */
  public Optional<String> pendingRequest(String code) {
    List<String> ids = jdbc.queryForList("select process_instance_id from greenlight_approval_code where code = ?", String.class, code);
    return ids.stream().findFirst();
  }

  /** {@code ${approvalCodes.release(execution)}}: the process's end listener frees the code. */
  public void release(DelegateExecution execution) {
    jdbc.update("delete from greenlight_approval_code where process_instance_id = ?", execution.getProcessInstanceId());
  }
}
