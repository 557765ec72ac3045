package io.greenlight.engine;

import io.greenlight.web.DatabaseLink;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A job that was running when the database went away fails, and so does the engine's attempt to record the failure:
 * the job stays locked by this node until the lock expires (five minutes by default) — a CircleCI approve went out
 * minutes after the database was back. When the database answers again this node releases its own locks on such jobs
 * at once, so they run again within seconds, here or on another node:
 * <ul>
 *   <li>only locks of this node's job executor ({@code LOCK_OWNER_}): other nodes' locks are theirs;</li>
 *   <li>only locks taken before the database was lost (they expire before {@code lostAt + lock time}): a lock taken
 *   after its return belongs to a job being run now;</li>
 *   <li>never a job this node is still running ({@link JobsInFlight}): a job whose CircleCI call outlived a short outage
 *   commits by itself.</li>
 * </ul>
 * The same is done again a little later, for jobs whose threads were still waiting on the lost connection when the
 * database returned (they give up after the driver's socket timeout, and their failure may not have been recorded).
 * A released job keeps its retries: it did not fail, the database did. Exactly-once calls to CircleCI and GitHub rest on
 * the attempt committed before each call, as for a job taken over after a crash.
 */
public class ReleaseJobLocksAfterOutage {

  private static final Logger log = LoggerFactory.getLogger(ReleaseJobLocksAfterOutage.class);
  /** When the second look is taken: after the driver's socket timeout (8 s in the postgres profile) and some. */
  static final Duration SECOND_LOOK = Duration.ofSeconds(20);

  private final ProcessEngine engine;
  private final JobsInFlight jobExecutor;
  private final JdbcTemplate jdbc;
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "job-lock-release");
    thread.setDaemon(true);
    return thread;
  });

  public ReleaseJobLocksAfterOutage(ProcessEngine engine, JobsInFlight jobExecutor, JdbcTemplate jdbc) {
    this.engine = engine;
    this.jobExecutor = jobExecutor;
    this.jdbc = jdbc;
  }

  @EventListener
  public void databaseReturned(DatabaseLink.Returned returned) {
    later.execute(() -> release(returned.lostAt()));
    later.schedule(() -> release(returned.lostAt()), SECOND_LOOK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Releases this node's locks taken before {@code lostAt} on jobs it is not running; how many. */
  int release(Instant lostAt) {
    try {
      ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
      String owner = jobExecutor.getLockOwner();
      Timestamp takenBeforeLoss = Timestamp.from(lostAt.plusMillis(jobExecutor.getLockTimeInMillis()));
      Set<String> running = jobExecutor.running();
      StringBuilder sql = new StringBuilder("update " + configuration.getDatabaseTablePrefix() + "ACT_RU_JOB "
          + "set LOCK_OWNER_ = null, LOCK_EXP_TIME_ = null, REV_ = REV_ + 1 where LOCK_OWNER_ = ? and LOCK_EXP_TIME_ <= ?");
      List<Object> arguments = new ArrayList<>(List.of(owner, takenBeforeLoss));
      if (!running.isEmpty()) {
        sql.append(" and ID_ not in (").append(String.join(", ", running.stream().map(id -> "?").toList())).append(")");
        arguments.addAll(running);
      }
      int released = jdbc.update(sql.toString(), arguments.toArray());
      if (released > 0) {
        log.info("Released {} job lock(s) this node held when the database went away; those jobs run again now", released);
        // The acquisition may be idling for up to its max-wait (a minute by default): it looks now.
        jobExecutor.jobWasAdded();
      }
      return released;
    } catch (RuntimeException e) {
      log.warn("Could not release this node's job locks after the database returned; they expire by themselves: {}",
          e.getMessage());
      return 0;
    }
  }

  public void shutdown() {
    later.shutdownNow();
  }
}
