package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.APPROVER;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;
import static io.greenlight.approval.ApprovalVariables.STATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.greenlight.testing.FakeCircleCi;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;

/**
 * CircleCI and Twilio failing in every way they do: server errors, rate limiting with {@code Retry-After}, hanging
 * without an answer, refusing connections, and refusing for good. What may pass is retried on the step's cycle
 * ({@code PT10S,PT30S,PT1M,PT5M,PT15M}), then shows as an incident; retrying the incident resumes the request, and
 * carries the outcome to CircleCI exactly once. What never will pass ends the request with the reason.
 */
class OutboundFaultsTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @AfterAll
  static void diagramCoverage(TestInfo testClass) throws java.io.IOException {
    reportCoverage(testClass);
  }

  /** The first attempt and one retry per interval of the cycle. */
  private static final int ATTEMPTS_BEFORE_AN_INCIDENT = 6;

  @Test
  void aCircleCiServerErrorIsRetriedThenAnIncidentAndRetryingItApprovesExactlyOnce() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);
    circleCi.failNext(100, 500, null);

    assertThat(failUntilAnIncident("500")).isEqualTo(ATTEMPTS_BEFORE_AN_INCIDENT);
    assertThat(runtimeService().createIncidentQuery().processInstanceId(request.getId()).singleResult().getActivityId())
        .isEqualTo("ApproveGate");
    assertThat(request).isWaitingAt("ApproveGate");

    // CircleCI is back; an operator retries the incident in Cockpit (which sets the job's retries to 1).
    circleCi.recover();
    managementService().setJobRetries(job().getId(), 1);
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    assertThat(runtimeService().createIncidentQuery().processInstanceId(request.getId()).count()).isZero();
    assertThat(circleCi.approvalsTakingEffect(WORKFLOW)).isEqualTo(1);
    // Every failed attempt stopped at reading the gate again; only the last one called.
    assertThat(circleCi.requests("POST", "/approve/")).hasSize(1);
  }

  @Test
  void aLookupFailingUntilAnIncidentResumesWhenRetried() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.failNext(100, 503, null);

    assertThat(failUntilAnIncident("503")).isEqualTo(ATTEMPTS_BEFORE_AN_INCIDENT);
    assertThat(request).isWaitingAt("FindGate");

    circleCi.recover();
    managementService().setJobRetries(job().getId(), 1);
    reachDecision(request);

    assertThat(request).isWaitingAt("Decide");
  }

  @Test
  void aFailedCallIsRetriedOnTheRetryCycle() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.failNext(1, 502, null);
    Date failedAt = ClockUtil.getCurrentTime();

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("502");

    Job retry = job();
    assertThat(retry.getDuedate()).isAfterOrEqualTo(new Date(failedAt.getTime() + 9_000));
    assertThat(retry.getExceptionMessage()).contains("502");
    execute(retry);
    assertThat(request).isWaitingAt("Route");
  }

  @Test
  void circleCiRateLimitingWaitsAsLongAsRetryAfterSays() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    requestApproval("hold");
    circleCi.failNext(1, 429, "600");
    Date limitedAt = ClockUtil.getCurrentTime();

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("rate-limited");

    assertThat(job().getDuedate()).isAfterOrEqualTo(new Date(limitedAt.getTime() + 599_000));
    assertThat(job().getRetries()).as("a rate limit counts as a failed attempt").isEqualTo(5);
  }

  @Test
  void aHungCircleCiIsGivenUpOnAfterTheReadTimeoutAndRetried() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.hangNext(6_000);

    Instant started = Instant.now();
    assertThatThrownBy(() -> execute(job())).hasMessageContaining("did not answer").hasMessageContaining("Timeout");

    assertThat(Duration.between(started, Instant.now())).as("the engine thread is not held").isLessThan(Duration.ofSeconds(5));
    execute(job());
    assertThat(request).isWaitingAt("Route");
  }

  @Test
  void anUnreachableCircleCiIsRetried() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    wireCircleCi(unreachable() + "/api/v2");

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("did not answer").hasMessageContaining("Connect");
    assertThat(job().getRetries()).isEqualTo(5);

    wireCircleCi(circleCi.baseUrl());
    execute(job());
    assertThat(request).isWaitingAt("Route");
  }

  @Test
  void aRefusedServiceTokenIsRetriedNotWorkedAround() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("bob", "approve", null);
    circleCi.refuseToken(FakeCircleCi.TOKEN, 403);

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("refused the token (403)");

    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(job().getRetries()).isEqualTo(5);
  }

  @Test
  void circleCiRefusingForGoodFailsTheRequestWithTheReasonAndTheRequesterIsTold() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    circleCi.failNextPost(400);
    execute(job());

    assertThat(request).hasPassed("GateRefused", "RefusedRequestFailed");
    tellTheOutcome(request);
    assertThat(historicVariable(request, STATUS)).isEqualTo("FAILED");
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("400");
    assertThat(twilio.messagesTo("+15551230003")).as("carol asked for the deploy").last()
        .satisfies(sms -> assertThat(sms.form().get("Body")).contains("could not be handled").contains("400"));
  }

  @Test
  void aTwilioOutageIsRetriedThenAnIncidentWithoutHoldingUpTheDecision() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    for (int i = 0; i < 100; i++) {
      twilio.failNext(503); // the SDK tries a few times itself within one attempt
    }

    Job toAlice = smsJobFor("alice");
    int attempts = 0;
    for (Job job = toAlice; job.getRetries() > 0; job = managementService().createJobQuery().jobId(toAlice.getId()).singleResult()) {
      Job attempt = job;
      assertThatThrownBy(() -> execute(attempt)).hasMessageContaining("503");
      attempts++;
    }

    assertThat(attempts).isEqualTo(ATTEMPTS_BEFORE_AN_INCIDENT);
    assertThat(runtimeService().createIncidentQuery().activityId("AskOnTheirChannels").count()).isEqualTo(1);
    assertThat(request).isWaitingAt("Decide");

    twilio.recover();
    managementService().setJobRetries(toAlice.getId(), 1);
    execute(managementService().createJobQuery().jobId(toAlice.getId()).singleResult());
    assertThat(twilio.messagesTo("+15551230001")).hasSize(1);

    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void twilioRateLimitingWaitsAsLongAsRetryAfterSays() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    twilio.rateLimitNext("120");
    Date limitedAt = ClockUtil.getCurrentTime();

    Job toAlice = smsJobFor("alice");
    assertThatThrownBy(() -> execute(toAlice)).hasMessageContaining("Twilio rate-limited");

    Job retry = managementService().createJobQuery().jobId(toAlice.getId()).singleResult();
    assertThat(retry.getDuedate()).isAfterOrEqualTo(new Date(limitedAt.getTime() + 119_000));
    assertThat(twilio.messagesTo("+15551230001")).isEmpty();
  }

  @Test
  void aHungTwilioIsGivenUpOnAfterTheReadTimeoutAndRetried() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    twilio.hangNext(6_000);

    Job toAlice = smsJobFor("alice");
    Instant started = Instant.now();
    assertThatThrownBy(() -> execute(toAlice)).hasMessageContaining("Twilio could not be reached");

    assertThat(Duration.between(started, Instant.now())).as("the engine thread is not held").isLessThan(Duration.ofSeconds(5));
    execute(managementService().createJobQuery().jobId(toAlice.getId()).singleResult());
    assertThat(twilio.messagesTo("+15551230001")).hasSize(1);
  }

  @Test
  void anUnreachableTwilioIsRetried() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    wireTwilio(unreachable());

    Job toAlice = smsJobFor("alice");
    assertThatThrownBy(() -> execute(toAlice)).hasMessageContaining("Twilio could not be reached");
    assertThat(managementService().createJobQuery().jobId(toAlice.getId()).singleResult().getRetries()).isEqualTo(5);

    wireTwilio(twilio.baseUrl());
    execute(managementService().createJobQuery().jobId(toAlice.getId()).singleResult());
    assertThat(twilio.messagesTo("+15551230001")).hasSize(1);
  }

  /** Runs the request's only job until its retries are used up; how many attempts that took. */
  private static int failUntilAnIncident(String failure) {
    int attempts = 0;
    while (job().getRetries() > 0) {
      assertThatThrownBy(() -> execute(job())).hasMessageContaining(failure);
      attempts++;
    }
    return attempts;
  }

  private static Job smsJobFor(String user) {
    return managementService().createJobQuery().activityId("AskOnTheirChannels").list().stream()
        .filter(job -> user.equals(runtimeService().getVariable(job.getExecutionId(), APPROVER)))
        .findFirst().orElseThrow();
  }
}
