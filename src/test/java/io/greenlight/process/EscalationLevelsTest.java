package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.greenlight.oncall.Rotation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The levels of asking are the diagram's: a process owner who lists them otherwise in "Choose who to ask next" changes
 * who is asked when, without touching Java; a model listing a name the step does not know is refused when it is
 * deployed; and a request started on a model from before the list still escalates as it did.
 */
class EscalationLevelsTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  /** The levels of "Choose who to ask next", as Modeler writes them. */
  private static final Pattern LEVELS_INPUT = Pattern.compile("(<camunda:inputParameter name=\"levels\">)([^<]*)(<)");

  private String deploymentId;

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @AfterEach
  void undeploy() {
    if (deploymentId != null) {
      repositoryService().deleteDeployment(deploymentId, true);
    }
  }

  @Test
  void aProcessOwnerWhoListsTheEscalationGroupFirstHasItAskedFirstAndTheOnCallMemberNext() {
    deploy(shippedModelWithLevels("escalation-group", "on-call"));
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachDecision(request);

    assertThat(request).hasPassed("LetEscalationGroupDecide");
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 1).containsEntry(LEVEL_ASKED, "escalation-group").containsEntry(TO_ASK, "dora")
        .containsEntry(ESCALATED_TO, "directors").containsEntry(EVERYONE_ASKED, false);
    assertThat(task()).hasCandidateGroup("directors").hasCandidateGroup("managers");

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    String onCall = new Rotation(directory.group("managers").orElseThrow().onCall()).at(ClockUtil.getCurrentTime().toInstant()).member();
    assertThat(request).hasPassed("EveryoneAsked");
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 2).containsEntry(LEVEL_ASKED, "on-call").containsEntry(TO_ASK, onCall)
        .containsEntry(EVERYONE_ASKED, true);
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).isZero();
  }

  @Test
  void aModelListingALevelTheStepDoesNotKnowIsNotDeployedAndTheRefusalNamesTheLevels() {
    long versionsBefore = repositoryService().createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).count();

    assertThatThrownBy(() -> deploy(shippedModelWithLevels("on-call", "managers")))
        .hasMessageContaining("Unknown level 'managers'").hasMessageContaining("on-call, named-groups, escalation-group");
    assertThatThrownBy(() -> deploy(shippedModelWithLevels())).hasMessageContaining("lists no level");
    assertThatThrownBy(() -> deploy(resource("/bpmn/deployment-approval.bpmn").replace(
        "on-call, named-groups, escalation-group</camunda:inputParameter>",
        "<camunda:list><camunda:value>on-call</camunda:value></camunda:list></camunda:inputParameter>")))
        .hasMessageContaining("must be text");
    // The levels at which people are called: "Notify approver"'s voiceAtLevels.
    assertThatThrownBy(() -> deploy(resource("/bpmn/deployment-approval.bpmn").replace(
        "<camunda:inputParameter name=\"voiceAtLevels\">escalation-group</camunda:inputParameter>",
        "<camunda:inputParameter name=\"voiceAtLevels\">escalation-group, directors</camunda:inputParameter>")))
        .hasMessageContaining("Unknown level 'directors' in the voiceAtLevels input of NotifyApprover");
    assertThat(repositoryService().createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).count())
        .isEqualTo(versionsBefore);
  }

  @Test
  void aRequestStartedOnAModelWithoutTheListEscalatesThroughTheThreeLevelsAndLetsTheEscalationGroupDecide() {
    deploy(resource("/earlier-models/deployment-approval-without-levels.bpmn"));
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachDecision(request);
    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 1);

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));

    assertThat(request).hasPassed("EveryoneAsked").variables()
        .containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora").containsEntry(ESCALATED_TO, "directors");
    assertThat(task()).hasCandidateGroup("directors");
    decideAs("dora", "approve", "covering for the managers");
    assertThat(request).isWaitingAt("ApproveInCircleCi");
  }

  private void deploy(String model) {
    deploymentId = repositoryService().createDeployment()
        .addString("deployment-approval.bpmn", model)
        .addClasspathResource("bpmn/approver-routing.dmn")
        .addClasspathResource("forms/approve-deployment.form")
        .deploy().getId();
  }

  /** The shipped model, its levels listed otherwise, as a process owner would in Modeler. */
  private static String shippedModelWithLevels(String... levels) {
    Matcher shipped = LEVELS_INPUT.matcher(resource("/bpmn/deployment-approval.bpmn"));
    assertThat(shipped.find()).as("the levels input of Choose who to ask next").isTrue();
    assertThat(shipped.group(2)).isEqualTo("on-call, named-groups, escalation-group");
    String listed = String.join(", ", levels);
    return shipped.replaceFirst("$1" + Matcher.quoteReplacement(listed) + "$3");
  }

  private static String resource(String path) {
    try (InputStream in = EscalationLevelsTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
