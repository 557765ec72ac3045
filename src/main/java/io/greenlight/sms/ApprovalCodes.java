package io.greenlight.sms;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The short numeric codes of pending requests ({@code APPROVE 4821}). A code is reserved in Greenlight's
 * table when a request starts and released when it ends, so it is unique among pending requests on every
 * node and never reused while its request is pending. Four digits while that is enough. The same row holds the
 * request's gate, unique too: one pending request per gate, whichever node is asked.
 */
public class ApprovalCodes {

  private static final int ATTEMPTS_PER_LENGTH = 30;

  private final JdbcTemplate jdbc;
  private final SecureRandom random = new SecureRandom();

  public ApprovalCodes(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Reserves a free code for a new request, and its gate: runs in the transaction that starts the request, and
   * fails with a duplicate key when another node started a request for the same gate meanwhile.
   */
  public String reserve(String processInstanceId, String gate) {
    for (int digits = 4; digits <= 8; digits++) {
      int bound = (int) Math.pow(10, digits);
      for (int attempt = 0; attempt < ATTEMPTS_PER_LENGTH; attempt++) {
        String code = String.format("%0" + digits + "d", random.nextInt(bound));
        if (pendingRequest(code).isEmpty()) {
          jdbc.update("insert into greenlight_approval_code (code, process_instance_id, reserved_at, gate) values (?, ?, ?, ?)",
              code, processInstanceId, new Timestamp(ClockUtil.getCurrentTime().getTime()), gate);
          return code;
        }
      }
    }
    throw new IllegalStateException("No free approval code: too many pending requests");
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
