package io.greenlight.engine;

import java.util.Locale;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL the engine writes a transaction's changes one statement at a time ({@code jdbcBatchProcessing} off), so
 * that a change another transaction made meanwhile is reported as what it is, an {@code OptimisticLockingException},
 * which every caller tries again, and not as a failure that loses an answer.
 *
 * <p>With JDBC batches, an answer that ends the asking (the terminate end event "Answer given") deletes the whole
 * notification subtree in one batch, children before parents, each {@code DELETE … where ID_ = ? and REV_ = ?}. When a
 * notification job committed meanwhile (it moved its own execution, or bumped the revision of the approver's "Notify
 * approver" scope, as every arrival at the "Channels done" join does), the DELETE of that execution matches no row:
 * the optimistic-locking conflict. In a batch that 0 is not looked at until the batch is done, and the next DELETE,
 * of the parent, fails first on {@code act_fk_exe_parent} (the child is still there). PostgreSQL then aborts the
 * transaction and its driver reports every statement of the batch as failed, the 0 included, so the engine sees only
 * a foreign-key violation on a DELETE, which it does not count as a conflict: the answer failed with 503. (H2 reports
 * the counts of the statements before the failing one, so there the engine saw the 0 and raised the conflict.)
 * Unbatched, the DELETE that matches no row stops the flush at once with the conflict, before the parent's DELETE.
 *
 * <p>Set for PostgreSQL however it is configured (the {@code postgres} profile or only a PostgreSQL URL), after the
 * starter applied {@code camunda.bpm.database.jdbc-batch-processing}. See docs/reliability.md.
 */
public class UnbatchedFlushOnPostgres extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(UnbatchedFlushOnPostgres.class);

  private final String configuredUrl;

  /** @param configuredUrl {@code spring.datasource.url} as given */
  public UnbatchedFlushOnPostgres(String configuredUrl) {
    this.configuredUrl = configuredUrl;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (isPostgres(configuration.getDatabaseType(), configuredUrl) && configuration.isJdbcBatchProcessing()) {
      configuration.setJdbcBatchProcessing(false);
      log.info("PostgreSQL: the engine writes one statement at a time (jdbcBatchProcessing off), so concurrent changes "
          + "are reported as conflicts and tried again (docs/reliability.md)");
    }
  }

  static boolean isPostgres(String databaseType, String jdbcUrl) {
    return "postgres".equals(databaseType)
        || (jdbcUrl != null && jdbcUrl.trim().toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:"));
  }
}
