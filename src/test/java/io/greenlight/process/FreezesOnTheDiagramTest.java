package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.greenlight.answer.DecisionRefusedException;
import io.greenlight.approval.BreakGlass;
import io.greenlight.approval.JsonVariables;
import io.greenlight.freeze.FreezeSchedule;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Freezes on the diagram: "Deploys frozen?" before the approvers are asked sends a frozen request to the break-glass
 * group instead; anyone else's approval is refused; one break-glass approval, with a reason, decides and is reviewed
 * afterwards; when the freeze ends the approvers are asked as usual.
 */
@Deployment(resources = {"bpmn/deployment-approval.bpmn", "bpmn/approver-routing.dmn", "bpmn/emergency-deploy-review.bpmn"})
class FreezesOnTheDiagramTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @AfterEach
  void clockBackAndFreezesEnded() {
    ClockUtil.reset();
    new org.springframework.jdbc.core.JdbcTemplate(database()).update("delete from greenlight_freeze");
  }

  @AfterAll
  static void coverage(TestInfo testClass) throws IOException {
    reportCoverage(testClass);
  }

  @Test
  void aRequestDuringAFreezeGoesToTheBreakGlassGroupOnly() {
    freeze("gh/acme/*", Duration.ofHours(2), "INC-42: payments are down");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachFrozenDecision(request);

    assertThat(task()).hasCandidateGroup("incident-commanders");
    assertThat(twilio.messages()).extracting(sms -> sms.form().get("To")).containsExactly(IVANS_PHONE);
    assertThat(twilio.messagesTo(IVANS_PHONE).get(0).form().get("Body"))
        .startsWith("FROZEN: INC-42: payments are down. Until ").contains("only incident-commanders may approve, with a reason")
        .contains("Reply APPROVE ");
    assertThat(twilio.calls()).extracting(call -> call.form().get("To")).containsExactly(IVANS_PHONE);
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).as("nobody else is asked").isZero();
  }

  @Test
  void aNormalApprovalIsRefusedWhileFrozenAndABreakGlassOneNeedsAReason() {
    freeze("gh/acme/*", Duration.ofHours(2), "INC-42: payments are down");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachFrozenDecision(request);

    assertThatThrownBy(() -> decideAs("alice", "approve", null)).isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("frozen until").hasMessageContaining("INC-42: payments are down")
        .satisfies(refused -> assertThat(((DecisionRefusedException) refused).code()).isEqualTo("frozen"));
    assertThatThrownBy(() -> decideAs("ivan", "approve", " ")).isInstanceOf(DecisionRefusedException.class)
        .satisfies(refused -> assertThat(((DecisionRefusedException) refused).code()).isEqualTo("comment_required"));
    assertThat(request).isWaitingAt("Decide");

    decideAs("ivan", "approve", "Hotfix for INC-42");

    assertThat(request).isWaitingAt("ApproveGate");
    BreakGlass breakGlass = JsonVariables.read(runtimeService().getVariableTyped(request.getId(), BREAK_GLASS), BreakGlass.class);
    assertThat(breakGlass.by()).isEqualTo("ivan");
    assertThat(breakGlass.reason()).isEqualTo("Hotfix for INC-42");

    execute(job());
    assertThat(circleCi.requests("POST", "/approve/")).hasSize(1);
    ProcessInstance review = runtimeService().createProcessInstanceQuery().processDefinitionKey(REVIEW_PROCESS_KEY)
        .processInstanceBusinessKey(request.getId()).singleResult();
    assertThat(review).isWaitingAt("ReviewEmergencyDeploy");
    Task reviewTask = taskService().createTaskQuery().processInstanceId(review.getId()).singleResult();
    assertThat(reviewTask).hasCandidateGroup("approvers");
    assertThat(reviewTask.getDueDate()).isEqualTo(Date.from(breakGlass.at().plus(Duration.ofDays(2))));
  }

  @Test
  void rejectingIsAlwaysPossibleDuringAFreeze() {
    freeze("gh/acme/*", Duration.ofHours(2), "INC-42");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachFrozenDecision(request);

    decideAs("alice", "reject", "Not during an incident");

    assertThat(request).isWaitingAt("StopRejectedDeploy");
  }

  @Test
  void whenTheFreezeEndsWhileARequestWaitsItsApproversAreAskedAsUsual() {
    freeze("gh/acme/*", Duration.ofHours(2), "INC-42");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachFrozenDecision(request);
    assertThat(request).isWaitingAt("Decide", "FreezeEnded");

    passTime(Duration.ofHours(2).plusMinutes(1));
    execute(managementService().createJobQuery().activityId("FreezeEnded").singleResult());

    assertThat(request).hasPassed("FreezeEnded").isWaitingAt("Decide", "AskOnTheirChannels", "WaitToEscalate");
    managementService().createJobQuery().activityId("AskOnTheirChannels").list().forEach(BpmnAwareTests::execute);
    assertThat(twilio.messagesTo("+15551230001")).singleElement()
        .satisfies(sms -> assertThat(sms.form().get("Body")).startsWith("Deploys were frozen until "));
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(runtimeService().getVariable(request.getId(), BREAK_GLASS)).isNull();
  }

  @Test
  void aFreezeDeclaredWhileTheApproversAreAskedSendsTheRequestToTheBreakGlassGroup() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    freeze("gh/acme/*", Duration.ofHours(1), "INC-43");

    assertThat(request).hasPassed("FrozenMeanwhile").isWaitingAt("Decide", "AskBreakGlassGroup", "FreezeEnded");
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).as("the asking stopped").isZero();
    assertThat(task()).hasCandidateGroup("incident-commanders");
    assertThatThrownBy(() -> decideAs("alice", "approve", null)).isInstanceOf(DecisionRefusedException.class);
    decideAs("ivan", "approve", "INC-43 fix");
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void whenAFreezeThatInterruptedTheAskingEndsTheApproversAreAskedAgainFromTheFirstLevel() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    managementService().createJobQuery().activityId("AskOnTheirChannels").list().forEach(BpmnAwareTests::execute);
    assertThat(twilio.messagesTo("+15551230001")).hasSize(1);
    String id = freeze("gh/acme/*", Duration.ofHours(1), "INC-47").id();
    assertThat(request).hasPassed("FrozenMeanwhile").isWaitingAt("Decide", "AskBreakGlassGroup", "FreezeEnded");

    bean(FreezeSchedule.class).end(id, "bob", ClockUtil.getCurrentTime().toInstant());
    execute(managementService().createJobQuery().activityId("FreezeEnded").singleResult());

    // alice's approvals were refused while it lasted: she is asked again, as the first level, and told why.
    assertThat(request).isWaitingAt("Decide", "AskOnTheirChannels", "WaitToEscalate");
    managementService().createJobQuery().activityId("AskOnTheirChannels").list().forEach(BpmnAwareTests::execute);
    assertThat(twilio.messagesTo("+15551230001")).hasSize(2).last()
        .satisfies(sms -> assertThat(sms.form().get("Body")).startsWith("Deploys were frozen until "));
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void aFreezeThatBeginsOnItsOwnWhileTheApproversAreAskedIsFoundByTheSweep() {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    bean(FreezeSchedule.class).declare("gh/acme/*", now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(3)), "Release freeze",
        "bob", now);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    passTime(Duration.ofHours(1).plusMinutes(1));
    bean(io.greenlight.notify.FrozenRequests.class).reachWaitingRequests();

    assertThat(request).hasPassed("FrozenMeanwhile").isWaitingAt("Decide", "AskBreakGlassGroup", "FreezeEnded");
    assertThat(task()).hasCandidateGroup("incident-commanders");
    decideAs("ivan", "approve", "Hotfix during the release freeze");
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void aFreezeEndedEarlyLetsTheWaitingRequestGoOnAtOnce() {
    String id = freeze("gh/acme/*", Duration.ofHours(8), "INC-44").id();
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachFrozenDecision(request);

    bean(FreezeSchedule.class).end(id, "bob", ClockUtil.getCurrentTime().toInstant());

    // Nothing freezes it now: an approver's approval counts, and the wait for the freeze's end is due at once.
    assertThat(managementService().createJobQuery().activityId("FreezeEnded").singleResult().getDuedate())
        .isBeforeOrEqualTo(ClockUtil.getCurrentTime());
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void aRequestForAProjectOutsideTheGlobIsAskedAsUsual() {
    freeze("gh/other/*", Duration.ofHours(2), "Only the other team's deploys");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");

    reachDecision(request);

    assertThat(request).hasNotPassed("AskBreakGlassGroup");
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void aRecurringFreezeFromConfigurationHoldsItsProjectInBusinessHoursOnly() {
    // A Wednesday, 10:00 in Berlin: inside "0 0 9 * * MON-FRI" + PT8H.
    ClockUtil.setCurrentTime(Date.from(ZonedDateTime.of(2026, 12, 9, 10, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant()));
    circleCi.workflowOnHold(WORKFLOW, "hold", WEEKDAY_PROJECT);
    ProcessInstance frozen = requestApproval(WEEKDAY_PROJECT, "hold", "approvers");
    reachFrozenDecision(frozen);
    assertThat(frozen).isWaitingAt("Decide", "FreezeEnded");
    assertThat(managementService().createJobQuery().activityId("FreezeEnded").singleResult().getDuedate())
        .isEqualTo(Date.from(ZonedDateTime.of(2026, 12, 9, 17, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant()));

    // 17:00 in Berlin: open again.
    ClockUtil.setCurrentTime(Date.from(ZonedDateTime.of(2026, 12, 9, 17, 0, 1, 0, ZoneId.of("Europe/Berlin")).toInstant()));
    execute(managementService().createJobQuery().activityId("FreezeEnded").singleResult());
    assertThat(frozen).isWaitingAt("Decide", "AskOnTheirChannels", "WaitToEscalate");
    decideAs("alice", "approve", null);
    assertThat(frozen).isWaitingAt("ApproveGate");
  }

  @Test
  void anOverdueReviewIsEscalatedToTheEscalationGroup() {
    freeze("gh/acme/*", Duration.ofHours(2), "INC-45");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachFrozenDecision(request);
    decideAs("ivan", "approve", "INC-45 hotfix");
    execute(job());
    ProcessInstance review = runtimeService().createProcessInstanceQuery().processDefinitionKey(REVIEW_PROCESS_KEY)
        .processInstanceBusinessKey(request.getId()).singleResult();
    Task reviewTask = taskService().createTaskQuery().processInstanceId(review.getId()).singleResult();
    assertThat(reviewTask).hasCandidateGroup("managers");

    passTime(Duration.ofDays(2).plusMinutes(1));
    execute(managementService().createJobQuery().processInstanceId(review.getId()).activityId("ReviewOverdue").singleResult());
    execute(managementService().createJobQuery().processInstanceId(review.getId()).singleResult());

    assertThat(review).hasPassed("EscalateOverdueReview").isWaitingAt("ReviewEmergencyDeploy");
    assertThat(taskService().createTaskQuery().processInstanceId(review.getId()).singleResult()).hasCandidateGroup("directors");
    assertThat(twilio.messagesTo(DORAS_PHONE)).anySatisfy(sms -> assertThat(sms.form().get("Body")).startsWith("Overdue: the review"));
  }

  @Test
  void theReviewIsAcknowledgedOrAConcernWithAComment() {
    freeze("gh/acme/*", Duration.ofHours(2), "INC-46");
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachFrozenDecision(request);
    decideAs("ivan", "approve", "INC-46 hotfix");
    execute(job());
    ProcessInstance review = runtimeService().createProcessInstanceQuery().processDefinitionKey(REVIEW_PROCESS_KEY)
        .processInstanceBusinessKey(request.getId()).singleResult();
    Task reviewTask = taskService().createTaskQuery().processInstanceId(review.getId()).singleResult();

    assertThatThrownBy(() -> reviewAs("alice", reviewTask, "concern", "")).isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("A concern needs a comment");
    reviewAs("alice", reviewTask, "concern", "Should have waited for the rollback");

    assertThat(review).isEnded();
    assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(review.getId())
        .variableName("reviewedBy").singleResult().getValue()).isEqualTo("alice");
  }

  private void reviewAs(String userId, Task review, String outcome, String comment) {
    identityService().setAuthentication(userId, directory.user(userId).orElseThrow().groups());
    try {
      java.util.Map<String, Object> answer = new java.util.HashMap<>();
      answer.put(REVIEW_OUTCOME, outcome);
      answer.put(COMMENT, comment);
      taskService().complete(review.getId(), answer);
    } finally {
      identityService().clearAuthentication();
    }
  }

  private io.greenlight.freeze.Freeze freeze(String projects, Duration lasting, String reason) {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    return bean(FreezeSchedule.class).declare(projects, now.minusSeconds(60), now.plus(lasting), reason, "bob", now);
  }

  /** Find the gate and route: deploys are frozen, so the break-glass group is asked on every channel. */
  private void reachFrozenDecision(ProcessInstance request) {
    execute(job());
    assertThat(request).isWaitingAt("Route");
    execute(job());
    assertThat(request).isWaitingAt("Decide", "AskBreakGlassGroup");
    // ivan, the only incident commander, on each channel that reaches him a job of its own: SMS and a call (e-mail and
    // Slack are off here).
    List<Job> channels = managementService().createJobQuery().processInstanceId(request.getId()).activityId("AskOnEveryChannel").list();
    assertThat(channels).hasSize(2);
    channels.forEach(BpmnAwareTests::execute);
  }
}
