package io.greenlight.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a crash, the jobs the dead process was running stay locked until their lock expires (Camunda's lock time,
 * five minutes by default): a deploy approved right before the crash would wait that long. On the embedded H2 file
 * database only one process can have the database open, so every lock found at start-up is a dead process's; they are
 * released before the job executor starts, and those jobs run at once. Shared databases (PostgreSQL, H2 server mode)
 * are left alone: there the locks may be another live node's.
 */
public class ReleaseStaleJobLocks extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(ReleaseStaleJobLocks.class);

  private final String configuredUrl;

  /** @param configuredUrl {@code spring.datasource.url} as given (the driver's own account of it drops the settings) */
  public ReleaseStaleJobLocks(String configuredUrl) {
    this.configuredUrl = configuredUrl;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    if (!"h2".equals(configuration.getDatabaseType()) || !onlyThisProcessCanOpen(configuredUrl)) {
      return;
    }
    try (Connection connection = configuration.getDataSource().getConnection()) {
      try (Statement statement = connection.createStatement()) {
        int released = statement.executeUpdate("update " + configuration.getDatabaseTablePrefix() + "ACT_RU_JOB "
            + "set LOCK_OWNER_ = null, LOCK_EXP_TIME_ = null, REV_ = REV_ + 1 where LOCK_OWNER_ is not null");
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
        if (released > 0) {
          log.info("Released {} job lock(s) left by a previous run that did not stop cleanly; those jobs run now", released);
        }
      }
    } catch (SQLException e) {
      log.warn("Could not release job locks left by a previous run; they expire by themselves: {}", e.getMessage());
    }
  }

  /**
   * An H2 file opened in embedded mode, with H2's file lock and without AUTO_SERVER: the lock keeps every other process
   * out. Anything else (a server, AUTO_SERVER, FILE_LOCK=NO, an in-memory database other contexts may share, a URL not
   * known) may have live owners of the locks.
   */
  static boolean onlyThisProcessCanOpen(String jdbcUrl) {
    if (jdbcUrl == null) {
      return false;
    }
    String url = jdbcUrl.replace(" ", "").toLowerCase(Locale.ROOT);
    return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:") && !url.startsWith("jdbc:h2:tcp:")
        && !url.startsWith("jdbc:h2:ssl:") && !url.contains(";auto_server=true") && !url.contains(";file_lock=no")
        && !url.contains(";file_lock=serialized");
  }
}
