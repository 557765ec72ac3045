package io.greenlight.history;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * The engine removes history older than the retention, in the nightly cleanup window: every process deployed (at
 * start-up, or from Camunda Modeler) keeps its requests for {@code greenlight.history.retention}, whatever the model
 * says, and the cleanup runs in the window (Camunda's removal-time based cleanup: a request's record is removed once
 * the retention has passed since it was made). The removal time is counted from the start because each history row
 * then gets it as it is written; counted from the end, the engine rewrites every history row of a request when it
 * ends (an update of some fifteen tables), which left the embedded database file larger and decisions slower
 * (docs/benchmarks.md). A request lasts hours, its retention days: {@code Deadline} refuses an expiry of more than half the retention.
 */
public class HistoryRetentionPlugin extends AbstractProcessEnginePlugin {

  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");

  private final HistoryProperties properties;

  public HistoryRetentionPlugin(HistoryProperties properties) {
    this.properties = properties;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setHistoryCleanupEnabled(true);
    configuration.setHistoryRemovalTimeStrategy(ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_START);
    configuration.setHistoryCleanupBatchWindowStartTime(HOUR_MINUTE.format(properties.cleanupWindowStart()));
    configuration.setHistoryCleanupBatchWindowEndTime(HOUR_MINUTE.format(properties.cleanupWindowEnd()));
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
        processDefinition.setHistoryTimeToLive(properties.retentionDays());
      }
    });
  }
}
