package io.greenlight.changes;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.COMMIT;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;

import io.greenlight.approval.Decision;
import io.greenlight.approval.RequestVariables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The most recently approved deploy of each gate (project + GitHub environment or CircleCI approval job), in
 * {@code greenlight_last_approved}: what the next request of that gate is compared with. Remembered by the end
 * listener of "Deployment approved" ({@code ${lastApprovedDeploys.remember(execution)}}), in the transaction that
 * approves, so a deploy is remembered exactly when its approval is.
 */
@Component("lastApprovedDeploys")
public class LastApprovedDeploys {

  /** The last approved deploy of a gate: its commit, request, the users who approved it and when. */
  public record LastApproved(String commit, String requestId, List<String> approvers, Instant approvedAt) {}

  private final JdbcTemplate jdbc;
  /** The insert runs at a savepoint: losing a race to another node must not abort the approving transaction. */
  private final TransactionTemplate savepoint;

  public LastApprovedDeploys(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.savepoint = new TransactionTemplate(transactions);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  /** This request's commit becomes its gate's last approved deploy; a request without a commit changes nothing. */
  public void remember(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    String projectSlug = request.text(PROJECT_SLUG);
    String gateName = request.text(APPROVAL_JOB);
    String commit = request.text(COMMIT);
    if (projectSlug == null || gateName == null || commit == null || commit.isBlank()) {
      return;
    }
    String approvers = String.join(" ", request.list(DECISIONS, Decision.class).stream()
        .filter(decision -> Decision.APPROVE.equals(decision.decision()))
        .map(Decision::user)
        .distinct()
        .toList());
    Object[] row = {commit.toLowerCase(Locale.ROOT), execution.getProcessInstanceId(), approvers,
        new Timestamp(ClockUtil.getCurrentTime().getTime()), key(projectSlug), gateName};
    if (update(row) == 0) {
      try {
        savepoint.executeWithoutResult(status -> jdbc.update("insert into greenlight_last_approved "
            + "(commit_sha, request_id, approvers, approved_at, project_slug, approval_job) values (?, ?, ?, ?, ?, ?)", row));
      } catch (DuplicateKeyException anotherApprovalWasFaster) {
        update(row);
      }
    }
  }

  /** The last approved deploy of the gate {@code gateName} (environment or approval job) of {@code projectSlug}. */
  public Optional<LastApproved> of(String projectSlug, String gateName) {
    return jdbc.query("select commit_sha, request_id, approvers, approved_at from greenlight_last_approved "
            + "where project_slug = ? and approval_job = ?",
        (rs, rowNumber) -> new LastApproved(rs.getString("commit_sha"), rs.getString("request_id"),
            Arrays.stream(rs.getString("approvers").split(" ")).filter(user -> !user.isEmpty()).toList(),
            rs.getTimestamp("approved_at").toInstant()),
        key(projectSlug), gateName).stream().findFirst();
  }

  private int update(Object[] row) {
    return jdbc.update("update greenlight_last_approved set commit_sha = ?, request_id = ?, approvers = ?, approved_at = ? "
        + "where project_slug = ? and approval_job = ?", row);
  }

  /** Slugs are compared without case, as CircleCI and GitHub compare them (and as the business key keeps them). */
  private static String key(String projectSlug) {
    return projectSlug.toLowerCase(Locale.ROOT);
  }
}
