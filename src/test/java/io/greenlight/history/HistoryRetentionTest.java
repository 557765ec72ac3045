package io.greenlight.history;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A request's record is kept for the retention (400 days) after it was made, then removed in the engine's cleanup
 * window: its history, its history page, its refused answers, and Greenlight's own rows about it.
 */
class HistoryRetentionTest extends GreenlightApplicationTest {

  @Autowired
  HistoryService history;

  @Autowired
  RepositoryService repository;

  @Autowired
  ProcessEngine engine;

  @Autowired
  OwnTablesCleanup ownTablesCleanup;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  HistoryRetention historyRetention;

  @AfterEach
  void backToNow() {
    ClockUtil.reset();
  }

  @Test
  void theEngineCleansUpInANightlyWindowAndEveryDefinitionKeepsItsRequestsForTheRetention() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

    assertThat(configuration.isHistoryCleanupEnabled()).isTrue();
    assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00");
    assertThat(configuration.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:00");
    assertThat(configuration.getHistoryCleanupStrategy()).isEqualTo("removalTimeBased");
    assertThat(configuration.getHistoryRemovalTimeStrategy()).isEqualTo("start");
    assertThat(repository.createProcessDefinitionQuery().list()).isNotEmpty()
        .allSatisfy(definition -> assertThat(definition.getHistoryTimeToLive()).isEqualTo(400));
    assertThat(repository.createDecisionDefinitionQuery().list()).isNotEmpty()
        .allSatisfy(definition -> assertThat(definition.getHistoryTimeToLive()).isEqualTo(400));
  }

  @Test
  void theEngineKeepsFullHistoryWithoutItsOwnBookkeeping() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

    assertThat(configuration.getHistoryLevel()).isInstanceOf(AuditHistoryLevel.class);
    assertThat(configuration.getHistory()).isEqualTo("full");
  }

  @Test
  void aRequestPastTheRetentionIsGoneWithItsPageRefusalsAndOwnRows() {
    String id = pendingRequest();
    String code = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().get("code").asText();
    assertThat(smsReply("+15551230003", "APPROVE " + code)).contains("own deployment"); // octocat: a refusal, recorded
    assertThat(smsReply("+15551230001", "APPROVE " + code)).contains("Recorded");
    runDueJobs();
    HistoricProcessInstance ended = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    assertThat(ended.getEndTime()).isNotNull();
    assertThat(ended.getRemovalTime()).isEqualTo(Date.from(ended.getStartTime().toInstant().plus(400, ChronoUnit.DAYS)));
    assertThat(refusalsOf(id)).isPositive();
    assertThat(answeredSmsCount()).isPositive();
    GreenlightTestClient alice = new GreenlightTestClient(port);
    alice.webappLogin("tasklist", "alice", "alice-password");
    assertThat(alice.get("/history/" + id, null).status()).isEqualTo(200);

    // A day before the retention has passed nothing goes; a day after, the cleanup removes it.
    ClockUtil.setCurrentTime(Date.from(ended.getStartTime().toInstant().plus(Duration.ofDays(399))));
    cleanUp();
    assertThat(client.get("/api/approvals/" + id, bearer(ACME_KEY)).status()).isEqualTo(200);

    ClockUtil.setCurrentTime(Date.from(ended.getStartTime().toInstant().plus(Duration.ofDays(401))));
    cleanUp();

    assertThat(client.get("/api/approvals/" + id, bearer(ACME_KEY)).status()).isEqualTo(404);
    assertThat(client.get("/api/approvals/" + id + "/audit.csv", basic("alice", "alice-password")).status()).isEqualTo(404);
    assertThat(alice.get("/history/" + id, null).status()).isEqualTo(404);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(id).count()).isZero();
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(id).count()).isZero();
    assertThat(history.createHistoricDecisionInstanceQuery().processInstanceId(id).count()).isZero();
    assertThat(refusalsOf(id)).isZero();
    assertThat(answeredSmsCount()).isZero();
  }

  @Test
  void everyHistoryRowOfAPendingRequestHasItsRemovalTimeAsItIsWritten() {
    String id = pendingRequest();

    HistoricProcessInstance pending = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    Date removal = Date.from(pending.getStartTime().toInstant().plus(400, ChronoUnit.DAYS));
    assertThat(pending.getEndTime()).isNull();
    assertThat(pending.getRemovalTime()).isEqualTo(removal);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(id).list())
        .isNotEmpty().allSatisfy(step -> assertThat(step.getRemovalTime()).isEqualTo(removal));
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(id).list())
        .isNotEmpty().allSatisfy(variable -> assertThat(variable.getRemovalTime()).isEqualTo(removal));
  }

  @Test
  void onADatabaseThatCountedFromTheEndThePendingRequestsGetTheirRemovalTimeAtStartUp() {
    String id = pendingRequest();
    // As an earlier Greenlight left it: removal times given only when a request ended, and no record of counting from the start.
    history.setRemovalTimeToHistoricProcessInstances().clearedRemovalTime().byIds(id).hierarchical().executeAsync();
    runDueJobs();
    management.deleteProperty(HistoryRetention.COUNTED_FROM);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(id).list())
        .isNotEmpty().allSatisfy(step -> assertThat(step.getRemovalTime()).isNull());

    historyRetention.apply();
    runDueJobs();

    Date removal = Date.from(history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult()
        .getStartTime().toInstant().plus(400, ChronoUnit.DAYS));
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(id).list())
        .allSatisfy(step -> assertThat(step.getRemovalTime()).isEqualTo(removal));
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(id).list())
        .allSatisfy(variable -> assertThat(variable.getRemovalTime()).isEqualTo(removal));
    assertThat(management.getProperties()).containsEntry(HistoryRetention.COUNTED_FROM, "start");
  }

  private String pendingRequest() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();
    return id;
  }

  /** The engine's cleanup, run now as its window would run it, then Greenlight's for its own tables. */
  private void cleanUp() {
    history.cleanUpHistoryAsync(true);
    for (int round = 0; round < 10; round++) {
      List<Job> due = history.findHistoryCleanupJobs().stream()
          .filter(job -> job.getDuedate() == null || !job.getDuedate().toInstant().isAfter(ClockUtil.getCurrentTime().toInstant()))
          .toList();
      if (due.isEmpty()) {
        break;
      }
      due.forEach(job -> management.executeJob(job.getId()));
    }
    ownTablesCleanup.removeWhatIsPastRetention();
  }

  private int refusalsOf(String id) {
    return jdbc.queryForObject("select count(*) from ACT_HI_COMMENT where PROC_INST_ID_ = ?", Integer.class, id);
  }

  private int answeredSmsCount() {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    return jdbc.queryForObject("select count(*) from greenlight_inbound_sms where received_at <= ?", Integer.class,
        java.sql.Timestamp.from(now));
  }
}
