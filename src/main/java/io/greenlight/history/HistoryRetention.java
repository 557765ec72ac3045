package io.greenlight.history;

import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstanceQuery;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * At start-up, the retention applies to what was deployed before too: every process and decision definition gets it
 * as its history time to live, and when the retention changed since the last start, every request gets its removal
 * time computed again (a batch the job executor works through). On a database whose removal times were counted from
 * a request's end (Greenlight before 2026-12), the requests still pending get theirs now: the rows they wrote so far
 * have none, and nothing would give them one when they end.
 */
public class HistoryRetention {

  /** Camunda's property that records the retention last applied, in days. */
  static final String APPLIED = "greenlight.history.retention-days";
  /** Camunda's property that records what removal times are counted from ("start"; none: from the end). */
  static final String COUNTED_FROM = "greenlight.history.removal-time-from";

  private static final String START = ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_START;

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
    Map<String, String> properties = management.getProperties();
    String applied = properties.get(APPLIED);
    String retention = Integer.toString(days);
    boolean countedFromStart = START.equals(properties.get(COUNTED_FROM));
    if (applied != null && !retention.equals(applied)) {
      recomputeRemovalTimes(history.createHistoricProcessInstanceQuery());
      log.info("History retention changed from {} to {} days: every request gets its removal time again", applied, days);
    } else if (applied != null && !countedFromStart) {
      recomputeRemovalTimes(history.createHistoricProcessInstanceQuery().unfinished());
      log.info("History: removal times are now counted from when a request was made; the pending ones get theirs");
    }
    if (!retention.equals(applied)) {
      management.setProperty(APPLIED, retention);
    }
    if (!countedFromStart) {
      management.setProperty(COUNTED_FROM, START);
    }
    log.info("History: requests are kept {} days after they were made; the engine removes older ones in its nightly "
        + "cleanup window", days);
  }

  private void recomputeRemovalTimes(HistoricProcessInstanceQuery requests) {
    if (requests.count() > 0) {
      history.setRemovalTimeToHistoricProcessInstances().calculatedRemovalTime().byQuery(requests).hierarchical()
          .executeAsync();
    }
  }
}
