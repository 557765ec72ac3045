package io.greenlight.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.greenlight.approval.Notification;
import io.greenlight.audit.DiagramPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What one request costs: the jobs it runs, the commits that write, the history rows it leaves, the steps its history
 * page lists. A channel that is off, or that an approver has no address on, costs nothing: one job per message sent.
 * The figures go to {@code target/work-per-request.md} (docs/benchmarks.md keeps them).
 */
@Deployment(resources = {"bpmn/deployment-approval.bpmn", "bpmn/approver-routing.dmn", "forms/approve-deployment.form"})
class WorkPerRequestTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  /** The steps that message an approver on one channel. */
  private static final String ASK_ON_THEIR_CHANNELS = "AskOnTheirChannels";

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @Test
  void aRequestAskedOfTwoApproversRunsOneChannelJobPerMessage() throws IOException {
    // alice and bob are asked (carol asks); in these scenarios only SMS is on, and bob's number is one Twilio refuses.
    circleCi.workflowOnHold(WORKFLOW, "hold");
    long commitsBefore = CountedCommits.count();
    ProcessInstance request = requestApproval("hold");
    List<String> jobs = new ArrayList<>(runDueJobs(request));
    assertThat(request).isWaitingAt("Decide", "WaitToEscalate");
    List<Notification> asked = Notification.allIn(runtimeService().getVariables(request.getId()));

    decideAs("alice", "approve", null);
    jobs.addAll(runDueJobs(request));

    assertThat(request).hasPassed("ApproveGate").isEnded();
    long commits = CountedCommits.count() - commitsBefore;
    // bob's SMS is refused, so he is called instead (a step of its own, "Call instead").
    assertThat(asked).extracting(Notification::user, Notification::channel)
        .containsExactlyInAnyOrder(tuple("alice", "sms"), tuple("bob", "sms"), tuple("bob", "voice"));

    Map<String, Long> historyRows = historyRows(request.getId());
    int steps = DiagramPath.of(historyService(), request.getId()).steps().size();
    Map<String, Long> jobsByStep = new TreeMap<>();
    jobs.forEach(step -> jobsByStep.merge(step, 1L, Long::sum));
    StringBuilder figures = new StringBuilder("# Work per request\n\nOne request, two approvers asked by SMS (e-mail, Slack and "
        + "calls off or not at this level; bob's number is refused, so he is called instead), approved by the first answer, everyone told.\n\n| figure | count |\n| --- | --- |\n")
        .append("| jobs | ").append(jobs.size()).append(" (").append(jobsByStep).append(") |\n")
        .append("| commits that write (the request, the jobs, the answer) | ").append(commits).append(" |\n")
        .append("| history rows | ").append(historyRows.values().stream().mapToLong(Long::longValue).sum()).append(" (")
        .append(historyRows).append(") |\n")
        .append("| steps on the history page | ").append(steps).append(" |\n")
        .append("| variable updates kept (ACT_HI_DETAIL), by name | ").append(updatesByVariable(request.getId())).append(" |\n");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "work-per-request.md"), figures);
    System.out.println(figures);
    assertThat(jobs).filteredOn(ASK_ON_THEIR_CHANNELS::equals).hasSize(2);
  }

  /** Runs every job of the request that is due now, until none is; the steps they belonged to, in order. */
  private static List<String> runDueJobs(ProcessInstance request) {
    List<String> ran = new ArrayList<>();
    List<Job> due;
    while (!(due = managementService().createJobQuery().processInstanceId(request.getId()).executable().list()).isEmpty()) {
      for (Job job : due) {
        ran.add(managementService().createJobDefinitionQuery().jobDefinitionId(job.getJobDefinitionId()).singleResult()
            .getActivityId().replace("#multiInstanceBody", ""));
        execute(job);
      }
    }
    return ran;
  }

  private Map<String, Long> updatesByVariable(String requestId) {
    Map<String, Long> updates = new TreeMap<>();
    new JdbcTemplate(database()).queryForList("select NAME_, count(*) as N from ACT_HI_DETAIL where PROC_INST_ID_ = ? group by NAME_",
        requestId).forEach(row -> updates.put(String.valueOf(row.get("NAME_")), ((Number) row.get("N")).longValue()));
    return updates;
  }

  /** The request's rows in each history table (and the byte arrays its history keeps). */
  private Map<String, Long> historyRows(String requestId) {
    JdbcTemplate database = new JdbcTemplate(database());
    Map<String, Long> rows = new TreeMap<>();
    for (String table : database.queryForList("select table_name from information_schema.columns where column_name = "
        + "'PROC_INST_ID_' and table_name like 'ACT_HI_%'", String.class)) {
      long count = database.queryForObject("select count(*) from " + table + " where PROC_INST_ID_ = ?", Long.class, requestId);
      if (count > 0) {
        rows.put(table, count);
      }
    }
    rows.put("ACT_GE_BYTEARRAY", database.queryForObject("select count(*) from ACT_GE_BYTEARRAY where ROOT_PROC_INST_ID_ = ?",
        Long.class, requestId));
    return rows;
  }
}
