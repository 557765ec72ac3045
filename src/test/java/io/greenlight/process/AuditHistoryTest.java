package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.greenlight.history.AuditHistoryLevel;
import java.util.List;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The history keeps what the request did, not the engine's bookkeeping: every variable of the request and every step,
 * but not the multi-instance counters nor the log of jobs that ran as planned; a job's failed attempt stays in its log
 * with the stack trace.
 */
class AuditHistoryTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  /** The counters of multi-instance steps, as the engine names them. */
  private static final List<String> COUNTERS = List.of("loopCounter", "nrOfInstances", "nrOfActiveInstances",
      "nrOfCompletedInstances");

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @Test
  void theEngineRunsWithTheAuditHistoryInPlaceOfFull() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

    assertThat(configuration.getHistoryLevel()).isInstanceOf(AuditHistoryLevel.class);
    assertThat(configuration.getHistoryLevel().getName()).isEqualTo("full");
    assertThat(configuration.getHistoryLevel().getId()).isEqualTo(3);
  }

  @Test
  void anApprovedRequestLeavesItsVariablesAndStepsButNotTheEnginesBookkeeping() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", "ship it");
    execute(job());
    tellTheOutcome(request);

    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
    assertThat(historicVariable(request, STATUS)).isEqualTo("APPROVED");
    assertThat(historicVariable(request, APPROVAL_REQUEST_ID)).isEqualTo(approvalRequestId);
    assertThat(historyService().createHistoricDetailQuery().processInstanceId(request.getId()).variableUpdates().list())
        .extracting(detail -> ((HistoricVariableUpdate) detail).getVariableName())
        .contains(DECISIONS, STATUS).doesNotContainAnyElementsOf(COUNTERS);
    assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(request.getId()).list())
        .extracting(HistoricVariableInstance::getName).doesNotContainAnyElementsOf(COUNTERS);
    assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(request.getId())
        .activityId("ApproveGate").count()).isEqualTo(1);
    assertThat(historyService().createHistoricJobLogQuery().processInstanceId(request.getId()).list())
        .as("the log of jobs that ran as planned").isEmpty();
  }

  @Test
  void aJobsFailedAttemptStaysInItsLogWithTheStackTrace() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    wireCircleCi(unreachable() + "/api/v2");

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("did not answer");

    HistoricJobLog failure = historyService().createHistoricJobLogQuery().processInstanceId(request.getId())
        .failureLog().singleResult();
    assertThat(failure.getActivityId()).isEqualTo("FindGate");
    assertThat(historyService().getHistoricJobLogExceptionStacktrace(failure.getId())).contains("did not answer");
    assertThat(historyService().createHistoricJobLogQuery().processInstanceId(request.getId()).count()).isEqualTo(1);
  }
}
