package io.greenlight.history;

import java.util.ArrayList;
import java.util.Set;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.HistoryLevelFull;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.runtime.VariableInstance;

/**
 * Camunda's full history, less two kinds of the engine's own bookkeeping that nothing reads: the counters of
 * multi-instance activities ({@code loopCounter}, {@code nrOfInstances}, {@code nrOfActiveInstances},
 * {@code nrOfCompletedInstances}: a quarter of the variable history and its updates) and the job log of jobs that ran
 * as planned (created, succeeded, deleted: about 26 rows a request). Everything a step did, every variable of the
 * request, every decision and task, and every failed attempt of a job (its log entry, with the stack trace) are kept.
 * Each of these rows is an insert into a table with several indexes (and, on the embedded H2 file, pages its
 * housekeeping has to rewrite later): over a quarter of the history rows a request wrote.
 *
 * <p>It takes the place of {@code full} (same id and name), so a database the engine set up with full history opens
 * with it, and {@code camunda.bpm.history-level: full} selects it. {@code greenlight.history.engine-bookkeeping: true}
 * keeps Camunda's own {@code full} instead.
 */
public class AuditHistoryLevel extends HistoryLevelFull {

  private static final Set<String> MULTI_INSTANCE_COUNTERS = Set.of("loopCounter", "nrOfInstances", "nrOfActiveInstances",
      "nrOfCompletedInstances");
  private static final Set<HistoryEventType> PLANNED_JOB_EVENTS = Set.of(HistoryEventTypes.JOB_CREATE,
      HistoryEventTypes.JOB_SUCCESS, HistoryEventTypes.JOB_DELETE);

  @Override
  public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
    if (PLANNED_JOB_EVENTS.contains(eventType)) {
      return false;
    }
    return !(entity instanceof VariableInstance variable && MULTI_INSTANCE_COUNTERS.contains(variable.getName()));
  }

  /** Puts the level in place of Camunda's {@code full}: the engine picks the last level of that name it knows. */
  static class Plugin extends AbstractProcessEnginePlugin {
    private final HistoryProperties properties;

    Plugin(HistoryProperties properties) {
      this.properties = properties;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
      if (properties.engineBookkeeping()) {
        return;
      }
      if (configuration.getCustomHistoryLevels() == null) {
        configuration.setCustomHistoryLevels(new ArrayList<>());
      }
      configuration.getCustomHistoryLevels().add(new AuditHistoryLevel());
    }
  }
}
