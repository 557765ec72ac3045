package io.greenlight.history;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * At start-up, the retention applies to what was deployed before too: every process and decision definition gets it
 * as its history time to live, and when the retention changed since the last start, the requests that already ended
 * get their removal time computed again (a batch the job executor works through).
 */
public class HistoryRetention {

  /** Camunda's property that records the retention last applied, in days. */
  static final String APPLIED = "greenlight.history.retention-days";

  private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

  private final RepositoryService repository;
  private final HistoryService history;
  private final ManagementService management;
  private final int days;

  public HistoryRetention(RepositoryService repository, HistoryService history, ManagementService management,
                          HistoryProperties properties) {
    this.repository = repository;
    this.history = history;
    this.management = management;
    this.days = properties.retentionDays();
  }

  @EventListener(ApplicationReadyEvent.class)
  public void apply() {
    for (ProcessDefinition definition : repository.createProcessDefinitionQuery().list()) {
      if (definition.getHistoryTimeToLive() == null || definition.getHistoryTimeToLive() != days) {
        repository.updateProcessDefinitionHistoryTimeToLive(definition.getId(), days);
      }
    }
    for (DecisionDefinition definition : repository.createDecisionDefinitionQuery().list()) {
      if (definition.getHistoryTimeToLive() == null || definition.getHistoryTimeToLive() != days) {
        repository.updateDecisionDefinitionHistoryTimeToLive(definition.getId(), days);
      }
    }
    String applied = management.getProperties().get(APPLIED);
    if (!Integer.toString(days).equals(applied)) {
      if (applied != null && history.createHistoricProcessInstanceQuery().finished().count() > 0) {
        history.setRemovalTimeToHistoricProcessInstances().calculatedRemovalTime()
            .byQuery(history.createHistoricProcessInstanceQuery().finished()).hierarchical().executeAsync();
        log.info("History retention changed from {} to {} days: the requests that ended already get their removal time again",
            applied, days);
      }
      management.setProperty(APPLIED, Integer.toString(days));
    }
    log.info("History: requests are kept {} days after they end; the engine removes older ones in its nightly cleanup window",
        days);
  }
}
