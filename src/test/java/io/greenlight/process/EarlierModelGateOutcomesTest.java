package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request started on a model from before the gate steps' outcomes were named for every gate kind still ends as it
 * did: its model catches them under their CircleCI names ({@code GATE_DECIDED_IN_CIRCLECI}, {@code CIRCLECI_REFUSED}),
 * and an outcome thrown under a name it does not catch would end its path without an outcome.
 */
class EarlierModelGateOutcomesTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  private String deploymentId;

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  /** In the test, after the scenario deployed the shipped model (an extension does, right before the test runs). */
  private void deployTheEarlierModel() {
    deploymentId = repositoryService().createDeployment()
        .addClasspathResource("earlier-models/deployment-approval-without-levels.bpmn")
        .addClasspathResource("bpmn/approver-routing.dmn")
        .addClasspathResource("forms/approve-deployment.form")
        .deploy().getId();
  }

  @AfterEach
  void undeploy() {
    if (deploymentId != null) {
      repositoryService().deleteDeployment(deploymentId, true);
    }
  }

  @Test
  void aGateDecidedInCircleCiEndsTheRequestCancelled() {
    deployTheEarlierModel();
    circleCi.workflowOnHold(WORKFLOW, "hold");
    circleCi.setJobStatus(WORKFLOW, "hold", "success");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold");

    execute(job());

    assertThat(request).hasPassed("DecidedInCircleCi", "DecidedInCircleCiEnded");
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("already decided in CircleCI");
  }

  @Test
  void circleCiRefusingForGoodFailsTheRequest() {
    deployTheEarlierModel();
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    circleCi.failNextPost(400);
    execute(job());

    assertThat(request).hasPassed("CircleCiRefused", "RefusedRequestFailed");
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("400");
  }
}
