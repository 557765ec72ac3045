package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.greenlight.approval.Notification;
import io.greenlight.circleci.ApproveInCircleCi;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.notify.CheckApprovers;
import org.camunda.bpm.engine.test.mock.Mocks;
import io.greenlight.oncall.Rotation;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.test.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One test per path through {@code bpmn/deployment-approval.bpmn}, with the real delegates talking real
 * HTTP to a fake CircleCI.
 */
@Deployment(resources = {"bpmn/deployment-approval.bpmn", "bpmn/approver-routing.dmn", "forms/approve-deployment.form"})
class DeploymentApprovalProcessTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @AfterAll
  static void diagramCoverage(TestInfo testClass) throws java.io.IOException {
    // Refused for good by CircleCI (the event subprocess) is OutboundFaultsTest's; everything else is reached here.
    assertThat(reportCoverage(testClass)).as("share of the diagram's elements the scenarios reach").isGreaterThanOrEqualTo(0.93);
  }

  @Test
  void anApprovedDeploymentIsApprovedInCircleCi() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");

    reachDecision(request);
    assertThat(request).isWaitingAt("Decide").variables()
        .containsEntry(APPROVAL_REQUEST_ID, approvalRequestId)
        .containsEntry(APPROVER_GROUP, "approvers")
        .containsEntry(REQUIRED_APPROVALS, 1);
    assertThat(task()).hasCandidateGroup("approvers");

    decideAs("alice", "approve", "ship it");
    assertThat(request).isWaitingAt("ApproveGate");
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "APPROVED");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
    assertThat(circleCi.requests("POST", "/cancel")).isEmpty();
  }

  @Test
  void aRequestWhileDeploysAreFrozenAsksTheBreakGlassGroupThenItsApproversOnceTheFreezeEnds() {
    java.time.Instant now = ClockUtil.getCurrentTime().toInstant();
    io.greenlight.freeze.FreezeSchedule freezes = bean(io.greenlight.freeze.FreezeSchedule.class);
    String freeze = freezes.declare("gh/acme/*", now, now.plus(Duration.ofHours(1)), "INC-7", "bob", now).id();
    try {
      circleCi.workflowOnHold(WORKFLOW, "hold");
      ProcessInstance request = requestApproval("hold");
      execute(job());
      execute(job());
      assertThat(request).hasPassed("DeploysFrozen").isWaitingAt("Decide", "AskBreakGlassGroup");
      managementService().createJobQuery().activityId("AskOnEveryChannel").list().forEach(BpmnAwareTests::execute);
      assertThat(request).isWaitingAt("Decide", "FreezeEnded");

      passTime(Duration.ofHours(1).plusSeconds(1));
      execute(managementService().createJobQuery().activityId("FreezeEnded").singleResult());

      assertThat(request).isWaitingAt("Decide", "AskOnTheirChannels", "WaitToEscalate");
      decideAs("alice", "approve", null);
      assertThat(request).isWaitingAt("ApproveGate");
    } finally {
      ClockUtil.reset();
      freezes.end(freeze, "bob", ClockUtil.getCurrentTime().toInstant());
    }
  }

  @Test
  void everyApproverIsTextedAndTheFirstAnswerEndsTheNotifyingStillUnderWay() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    runtimeService().setVariable(request.getId(), CODE, "4821");
    reachDecision(request);

    // alice's SMS goes out; bob's is still to be sent when alice answers.
    execute(channelJob(request, "alice", "sms"));

    assertThat(twilio.messages()).hasSize(1); // alice; carol asked for the deploy
    FakeTwilio.Sent toAlice = twilio.messagesTo("+15551230001").get(0);
    String expires = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC)
        .format(((Date) runtimeService().getVariable(request.getId(), EXPIRES_AT)).toInstant());
    assertThat(toAlice.form().get("Body")).startsWith("Deploy approval: gh/acme/shop main abc1234 by carol. Reply APPROVE 4821 "
        + "or REJECT 4821 <reason>. Expires " + expires + " UTC. ")
        // What changed since this gate's last approved deploy (an earlier scenario's, of the same commit), or that it is unknown
        .matches(".* UTC\\. (No new commits since .*|Changes since the last approved deploy: unknown\\..*)");
    assertThat(toAlice.form()).containsEntry("From", FakeTwilio.FROM)
        .containsEntry("StatusCallback", PUBLIC_URL + "/twilio/status?request=" + request.getId() + "&user=alice");
    List<Notification> notified = Notification.allIn(runtimeService().getVariables(request.getId()));
    assertThat(notified).filteredOn(n -> n.user().equals("alice")).singleElement()
        .satisfies(n -> assertThat(n).extracting(Notification::channel, Notification::status, Notification::reference)
            .containsExactly("sms", "queued", toAlice.sid()));
    assertThat(channelJob(request, "bob", "sms")).isNotNull();

    decideAs("alice", "approve", null);

    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(managementService().createJobQuery().activityId("AskOnTheirChannels").count()).isZero();
  }

  @Test
  void aRefusedNumberIsRecordedAsFailed() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    execute(channelJob(request, "bob", "sms"));

    assertThat(Notification.allIn(runtimeService().getVariables(request.getId()))).singleElement()
        .satisfies(n -> {
          assertThat(n).extracting(Notification::user, Notification::channel, Notification::status).containsExactly("bob", "sms", "failed");
          assertThat(n.detail()).contains("21211");
        });
  }

  @Test
  void aChannelThatIsOffOrNotAtThisLevelIsNoStepAtAll() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    // E-mail and Slack are off in these scenarios, and this level calls nobody (bob may be called): alice and bob are
    // asked by SMS, one job each, and nothing else.
    List<org.camunda.bpm.engine.runtime.Job> channels = managementService().createJobQuery().activityId("AskOnTheirChannels").list();
    assertThat(channels).hasSize(2);
    channels.forEach(BpmnAwareTests::execute);

    assertThat(request).hasPassed("ApproverNotified", "LevelNotified");
    assertThat(Notification.allIn(runtimeService().getVariables(request.getId())))
        .extracting(Notification::channel).containsOnly("sms");
    assertThat(request).isWaitingAt("Decide", "WaitToEscalate");
  }

  /**
   * The change is looked up while the request is routed; GitHub not answering holds nothing up: the approvers are asked
   * at once, told the change is not known yet, and it is looked up again as a job of its own.
   */
  @Test
  void aGitHubThatDoesNotAnswerHoldsNothingUpAndIsAskedAgain() {
    String base = "1111111" + "0".repeat(33);
    String head = "2222222" + "0".repeat(33);
    github.push("acme/shop", List.of(new io.greenlight.testing.FakeGitHub.PushedCommit(base, "octocat", "Octo", "octocat", "Before"),
        new io.greenlight.testing.FakeGitHub.PushedCommit(head, "carol-gh", "Carol", "carol-gh", "After")));
    circleCi.workflowOnHold(WORKFLOW, "deploy-changes");
    ProcessInstance first = requestApprovalOf("deploy-changes", base);
    reachDecision(first);
    decideAs("alice", "approve", null);
    tellTheOutcome(first);

    github.failNextCompare(503);
    String workflow = java.util.UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflow, "deploy-changes");
    ProcessInstance second = requestApprovalOf("deploy-changes", head, workflow);
    execute(job());
    execute(job());
    assertThat(second).hasPassed("GitHubDidNotAnswer").isWaitingAt("Decide", "AskOnTheirChannels", "LookUpChangesAgain");
    assertThat((String) runtimeService().getVariable(second.getId(), CHANGES_UNKNOWN)).startsWith("GitHub did not answer yet");

    execute(job("LookUpChangesAgain"));
    assertThat(second).hasPassed("ChangesKnown");
    io.greenlight.approval.ApprovalView.Changes changes = io.greenlight.approval.JsonVariables.read(
        runtimeService().getVariableTyped(second.getId(), CHANGES, false), io.greenlight.approval.ApprovalView.Changes.class);
    assertThat(changes.commits()).isEqualTo(1);
    assertThat(changes.authors()).containsExactly("carol-gh");
    assertThat(runtimeService().getVariable(second.getId(), CHANGES_UNKNOWN)).isNull();
  }

  @Test
  void nobodyAnsweringEscalatesToTheRestOfTheGroupThenToTheDirectors() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachDecision(request);
    String onCall = new Rotation(directory.group("managers").orElseThrow().onCall()).at(ClockUtil.getCurrentTime().toInstant()).member();

    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 1).containsEntry(TO_ASK, onCall);
    assertThat(task()).hasCandidateGroup("managers");

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    List<String> restOfGroup = new java.util.ArrayList<>(List.of("mia", "max", "mo"));
    restOfGroup.remove(onCall);
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 2).containsEntry(TO_ASK, String.join(",", restOfGroup));

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora")
        .containsEntry(ESCALATED_TO, "directors");
    assertThat(task()).hasCandidateGroup("directors");
    assertThat(request).hasPassed("EveryoneAsked");
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).isZero();

    decideAs("dora", "approve", "covering for the managers");
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void anEscalateRequestAsksTheNextLevelAtOnce() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachDecision(request);

    runtimeService().createMessageCorrelation("EscalateNow").processInstanceId(request.getId()).correlate();

    String onCall = new Rotation(directory.group("managers").orElseThrow().onCall()).at(ClockUtil.getCurrentTime().toInstant()).member();
    List<String> restOfGroup = new java.util.ArrayList<>(List.of("mia", "max", "mo"));
    restOfGroup.remove(onCall);
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 2).containsEntry(TO_ASK, String.join(",", restOfGroup));
  }

  @Test
  void whenOnlyTheRequesterIsInTheGroupTheEscalationGroupIsAskedAndMayAnswer() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "solo");
    execute(job());
    execute(job());

    assertThat(request).isWaitingAt("Decide").hasPassed("EveryoneAsked");
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora");
    // Once dora is notified, asking is over (the only rule's everyone was asked); the decision task still waits.
    managementService().createJobQuery().processInstanceId(request.getId()).activityId("AskOnTheirChannels").list()
        .forEach(BpmnAwareTests::execute);
    assertThat(request).isWaitingAt("Decide", "FrozenAfterEveryoneAsked");
    assertThat(task()).hasCandidateGroup("directors");
    decideAs("dora", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void everyoneNamedIsAskedAtOnceAndEscalationFollowsTheFirstGroupNamed() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers,dave,approvers");
    reachDecision(request);
    String onCall = new Rotation(directory.group("managers").orElseThrow().onCall()).at(ClockUtil.getCurrentTime().toInstant()).member();

    // dave as named, the managers' on-call member, and the approvers (no rotation: all of them), but not carol who asked
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 1).containsEntry(TO_ASK, "dave," + onCall + ",alice,bob");
    assertThat(task()).hasCandidateGroup("managers").hasCandidateGroup("approvers").hasCandidateUser("dave");

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 2);
    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 3).containsEntry(ESCALATED_TO, "directors")
        .containsEntry(TO_ASK, "dora");

    decideAs("dave", "approve", "named on their own");
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void approversNobodyKnowsFailTheRequestAtOnceAndCancelTheWorkflow() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "approvers,ghost-team");
    execute(job());

    execute(job()); // route, and find that nobody can approve

    assertThat(request).hasPassed("CheckApprovers", "NobodyCanApprove").isWaitingAt("StopUnapprovableDeploy")
        .variables().containsEntry(FAILURE_REASON, "The directory has no group or user named 'ghost-team'.");
    assertThat(runtimeService().createVariableInstanceQuery().processInstanceIdIn(request.getId()).variableName(TO_ASK).count()).isZero();
    execute(job());
    assertThat(request).hasPassed("NoApproversFailed");
    assertThat(circleCi.requests("POST", "/workflow/" + WORKFLOW + "/cancel")).hasSize(1);
    tellTheOutcome(request);
    assertThat(historicVariable(request, STATUS)).isEqualTo("FAILED");
    assertThat(twilio.messagesTo("+15551230003")).singleElement() // carol asked for it, and is told why
        .satisfies(sms -> assertThat(sms.form().get("Body")).contains("'ghost-team'").contains("The workflow was cancelled."));
  }

  @Test
  void aRoutingTableNamingAGroupTheDirectoryLacksFailsTheRequestAtRouting() {
    Directory withoutApprovers = Directory.of(new DirectoryFile(directoryFile.users(),
        directoryFile.groups().stream().filter(group -> !group.id().equals("approvers")).toList(), List.of()));
    Mocks.register("checkApprovers", new CheckApprovers(withoutApprovers));
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold"); // the routing table's default row: "approvers"
    execute(job());

    execute(job());

    assertThat(request).hasPassed("NobodyCanApprove").isWaitingAt("StopUnapprovableDeploy")
        .variables().containsEntry(APPROVER_GROUP, "approvers")
        .containsEntry(FAILURE_REASON, "The directory has no group or user named 'approvers'.");
  }

  @Test
  void onlyTheRequesterAmongTheApproversFailsTheRequestToo() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "carol");
    execute(job());

    execute(job());

    assertThat(request).hasPassed("NobodyCanApprove").variables().extractingByKey(FAILURE_REASON).asString()
        .contains("the requester is the only one in carol");
  }

  @Test
  void aGateApprovedInCircleCiWhileNobodyCouldApproveIsRecordedAsDecidedThere() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "ghost-team");
    execute(job());
    execute(job());
    circleCi.setJobStatus(WORKFLOW, "hold", "success");

    execute(job());

    assertThat(request).hasPassed("StopUnapprovableDeploy", "GateDecidedElsewhere", "GateDecidedElsewhereEnded");
    assertThat(circleCi.requests("POST", "/cancel")).isEmpty();
    tellTheOutcome(request);
    assertThat(historicVariable(request, STATUS)).isEqualTo("CANCELLED");
  }

  @Test
  void aNumberRefusedForTheOnlyPersonAskedEscalatesAtOnce() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "night");
    reachDecision(request);
    assertThat(asking(request)).containsEntry(TO_ASK, "bob");

    execute(job("AskOnTheirChannels"));

    assertThat(asking(request)).containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora");
    assertThat(task()).hasCandidateGroup("directors");
  }

  @Test
  void aPersonWhoMayBeCalledIsCalledAtTheEscalationGroupsLevelOnly() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachDecision(request);

    managementService().createJobQuery().activityId("AskOnTheirChannels").list().forEach(BpmnAwareTests::execute);
    assertThat(twilio.calls()).isEmpty(); // the on-call manager: not a level that calls, nor a person who may be called

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    assertThat(asking(request)).containsEntry(LEVEL_ASKED, "escalation-group").containsEntry(TO_ASK, "dora");
    execute(channelJob(request, "dora", "voice"));

    assertThat(twilio.calls()).singleElement().satisfies(call -> {
      assertThat(call.form()).containsEntry("To", DORAS_PHONE).containsEntry("From", FakeTwilio.FROM)
          .containsEntry("StatusCallback", PUBLIC_URL + "/twilio/voice/status?request=" + request.getId() + "&user=dora")
          .containsEntry("StatusCallbackEvent", "completed");
      assertThat(call.form().get("Twiml")).contains("<Gather", "numDigits=\"1\"",
          "action=\"" + PUBLIC_URL + "/twilio/voice/gather?request=" + request.getId() + "&amp;user=dora\"",
          "carol asks to deploy gh/acme/shop, branch main, commit a b c 1 2 3 4.",
          "Press 1 to approve, 2 to reject, 3 to escalate.");
    });
    assertThat(Notification.allIn(runtimeService().getVariables(request.getId()))).filteredOn(n -> n.channel().equals("voice"))
        .singleElement().satisfies(n -> assertThat(n).extracting(Notification::user, Notification::status, Notification::reference)
            .containsExactly("dora", "queued", twilio.calls().get(0).sid()));
  }

  @Test
  void aPersonWhoseSmsIsRefusedIsCalledInsteadAndARefusedCallIsRecorded() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "night");
    reachDecision(request);

    execute(job("AskOnTheirChannels")); // bob's number is refused: he is called instead, and the directors are asked at once

    assertThat(request).hasPassed("SmsNotDelivered");
    execute(job("CallInstead"));
    assertThat(twilio.calls()).isEmpty(); // Twilio refuses his number for calls too
    assertThat(Notification.allIn(runtimeService().getVariables(request.getId()))).filteredOn(n -> n.channel().equals("voice"))
        .singleElement().satisfies(n -> {
          assertThat(n.user()).isEqualTo("bob");
          assertThat(n.status()).isEqualTo("failed");
          assertThat(n.detail()).contains("21211");
        });
    assertThat(request).hasPassed("CalledInstead");
    assertThat(asking(request)).containsEntry(TO_ASK, "dora");
  }

  @Test
  void aQuorumOfTwoWaitsForASecondDistinctApprover() {
    circleCi.workflowOnHold(WORKFLOW, "hold", "gh/acme/payments");
    ProcessInstance request = requestApproval("gh/acme/payments", "hold", null);
    reachDecision(request);
    assertThat(request).variables().containsEntry(REQUIRED_APPROVALS, 2);

    decideAs("alice", "approve", "fine by me");
    assertThat(request).isWaitingAt("Decide").variables().doesNotContainKeys(DECISION, COMMENT);
    assertThatThrownBy(() -> decideAs("alice", "approve", "again")).hasMessageContaining("approved already");
    decideAs("bob", "approve", null);

    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void aRejectionAfterOneApprovalEndsIt() {
    circleCi.workflowOnHold(WORKFLOW, "hold", "gh/acme/payments");
    ProcessInstance request = requestApproval("gh/acme/payments", "hold", null);
    reachDecision(request);

    decideAs("alice", "approve", null);
    decideAs("bob", "reject", "The migration is not reversible");

    assertThat(request).isWaitingAt("StopRejectedDeploy");
  }

  @Test
  void theWorkflowsOnlyApprovalJobIsFoundWhenNoneIsNamed() {
    circleCi.workflowOnHold(WORKFLOW, "wait-for-release-manager");
    ProcessInstance request = requestApproval(null);

    reachDecision(request);

    assertThat(request).isWaitingAt("Decide").variables().containsEntry(APPROVAL_JOB, "wait-for-release-manager");
    assertThat(request).hasBusinessKey("gh/acme/shop/" + WORKFLOW + "/wait-for-release-manager");
  }

  @Test
  void aRejectedDeploymentCancelsTheWorkflow() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    decideAs("bob", "reject", "Release notes are missing");
    assertThat(request).isWaitingAt("StopRejectedDeploy");
    execute(job());

    assertThat(request).hasPassed("DeploymentRejected");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "REJECTED");
    assertThat(circleCi.requests("POST", "/workflow/" + WORKFLOW + "/cancel")).hasSize(1);
    assertThat(circleCi.jobStatus(WORKFLOW, "deploy")).isEqualTo("canceled");
  }

  @Test
  void aRejectionNeedsAReason() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    assertThatThrownBy(() -> decideAs("bob", "reject", " ")).hasMessageContaining("needs a reason");

    assertThat(request).isWaitingAt("Decide");
  }

  @Test
  void aMissingGateFailsTheRequestWithTheReason() {
    ProcessInstance request = requestApproval("hold");

    execute(job());

    assertThat(request).hasPassed("GateNotFound", "RequestFailed");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "FAILED");
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("has no jobs");
  }

  @Test
  void aGateDecidedInCircleCiBeforeAnybodyIsAskedIsCancelled() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    circleCi.setJobStatus(WORKFLOW, "hold", "success");
    ProcessInstance request = requestApproval("hold");

    execute(job());

    assertThat(request).hasPassed("GateDecidedElsewhere", "GateDecidedElsewhereEnded");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "CANCELLED");
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("already decided in CircleCI");
  }

  @Test
  void aWorkflowOfAnotherProjectIsNotTheGate() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/sandbox", "hold");

    execute(job());

    assertThat(request).hasPassed("RequestFailed");
    tellTheOutcome(request);
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("belongs to project gh/acme/shop, not gh/acme/sandbox");
  }

  @Test
  void anApprovalThatWentThroughUnseenIsNotMistakenForADecisionInCircleCi() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    circleCi.applyNextPostButAnswer(502);
    assertThatThrownBy(() -> execute(job())).hasMessageContaining("502");
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "APPROVED");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
  }

  @Test
  void anApprovalThatWentThroughJustBeforeACrashIsNotMadeAgain() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    // What a process killed during the call leaves: the committed attempt, a gate approved in CircleCI, and a job
    // that ran no further (no failure on record; it is simply due again once its lock is gone).
    new JdbcTemplate(database()).update(
        "insert into greenlight_circleci_attempt (process_instance_id, action, attempted_at, token_owner) values (?, 'approve', ?, 'alice')",
        request.getId(), new java.sql.Timestamp(ClockUtil.getCurrentTime().getTime()));
    circleCi.setJobStatus(WORKFLOW, "hold", "success");
    assertThat(job().getExceptionMessage()).isNull();
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).isEmpty();
    assertThat((String) runtimeService().getVariable(request.getId(), CIRCLECI_CALL).toString())
        .contains("\"token_owner\":\"alice\"").contains("An earlier attempt went through");
    tellTheOutcome(request);
    assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(request.getId()).variableName(STATUS)
        .singleResult().getValue()).isEqualTo("APPROVED");
    assertThat(new JdbcTemplate(database())
        .queryForObject("select count(*) from greenlight_circleci_attempt where process_instance_id = ?", Integer.class, request.getId()))
        .as("an ended request keeps no attempts").isZero();
  }

  @Test
  void circleCisWordOnWhoAskedAndWhatIsBuiltOverrulesThePipelines() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold"); // the pipeline says: carol, main, abc1234def
    String revision = "0123456789abcdef0123456789abcdef01234567";
    circleCi.triggeredBy(WORKFLOW, "alice", "feature/quiet", revision);

    reachDecision(request);

    assertThat(request).variables().containsEntry(REQUESTED_BY, "alice").containsEntry(BRANCH, "feature/quiet")
        .containsEntry(COMMIT, revision);
    assertThat(runtimeService().getVariable(request.getId(), OVERRULED_CLAIMS).toString())
        .contains("\"field\":\"requested_by\",\"claimed\":\"carol\",\"circleci\":\"alice\"")
        .contains("\"field\":\"branch\",\"claimed\":\"main\",\"circleci\":\"feature/quiet\"")
        .contains("\"field\":\"commit\",\"claimed\":\"abc1234def\"");
    assertThatThrownBy(() -> decideAs("alice", "approve", null)).hasMessageContaining("own deployment");
    decideAs("carol", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void whatThePipelineDidNotClaimIsTakenFromCircleCiWithoutOverrulingAnything() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    runtimeService().removeVariables(request.getId(), List.of(REQUESTED_BY, BRANCH, COMMIT));

    reachDecision(request);

    assertThat(request).variables().containsEntry(REQUESTED_BY, "carol").containsEntry(BRANCH, "main")
        .doesNotContainKey(OVERRULED_CLAIMS);
  }

  @Test
  void aBlankLoginFromCircleCiIsNoWordOnWhoAsked() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.triggeredBy(WORKFLOW, " ", "main", "abc1234def" + "0".repeat(30));

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("the requester cannot be confirmed");

    assertThat(request).isWaitingAt("FindGate");
  }

  @Test
  void aProjectSlugSpelledOtherwiseIsRoutedAsCircleCiSpellsIt() {
    circleCi.workflowOnHold(WORKFLOW, "hold", "gh/acme/payments");
    ProcessInstance request = requestApproval("gh/acme/PAYMENTS", "hold", null); // would miss the payments rule

    reachDecision(request);

    assertThat(request).variables().containsEntry(PROJECT_SLUG, "gh/acme/payments").containsEntry(REQUIRED_APPROVALS, 2);
    assertThat(runtimeService().getVariable(request.getId(), OVERRULED_CLAIMS).toString())
        .contains("\"field\":\"project_slug\",\"claimed\":\"gh/acme/PAYMENTS\"");
  }

  @Test
  void withoutCircleCisWordOnWhoAskedTheRequestWaitsAndIsRetried() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.withoutPipeline(WORKFLOW);

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("the requester cannot be confirmed");

    assertThat(request).isWaitingAt("FindGate");
    assertThat(job().getRetries()).isEqualTo(5);
  }

  @Test
  void aRequesterTheDirectoryDoesNotKnowIsFlagged() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.triggeredBy(WORKFLOW, "stranger", "main", "abc1234def" + "0".repeat(30));

    reachDecision(request);

    assertThat(request).variables().containsEntry(REQUESTED_BY, "stranger").containsEntry(REQUESTER_NOT_IN_DIRECTORY, "stranger");
  }

  @Test
  void answersRecordedAnyOtherWayApproveNothing() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    // Whatever path might ever write the record: the requester's own approval, with no approver's on it.
    runtimeService().setVariable(request.getId(), DECISIONS, io.greenlight.approval.JsonVariables.json(List.of(
        new io.greenlight.approval.Decision("carol", "approve", "api", null, ClockUtil.getCurrentTime().toInstant()))));
    runtimeService().setVariable(request.getId(), DECISION, "approve");
    runtimeService().createProcessInstanceModification(request.getId())
        .cancelAllForActivity("AskApprovers").startBeforeActivity("ApproveGate").execute();

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("do not approve this deployment")
        .hasMessageContaining("the requester is among the approvers");
    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).isEmpty();
  }

  @Test
  void theDecidingApproversOwnTokenApprovesSoCircleCiShowsWhoApproved() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    decideAs("alice", "approve", null);
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).singleElement()
        .satisfies(call -> assertThat(call.circleToken()).isEqualTo(FakeCircleCi.ALICE_TOKEN));
    assertThat(circleCi.requests("GET", "/job")).allSatisfy(read -> assertThat(read.circleToken()).isEqualTo(FakeCircleCi.TOKEN));
    assertThat(runtimeService().getVariable(request.getId(), CIRCLECI_CALL).toString()).contains("\"token_owner\":\"alice\"");
  }

  @Test
  void anApproverWithoutATokenOfTheirOwnApprovesWithTheServiceToken() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    decideAs("bob", "approve", null);
    execute(job());

    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).singleElement()
        .satisfies(call -> assertThat(call.circleToken()).isEqualTo(FakeCircleCi.TOKEN));
    assertThat(runtimeService().getVariable(request.getId(), CIRCLECI_CALL).toString()).contains("\"token_owner\":\"service\"");
  }

  @Test
  void aPersonalTokenCircleCiRefusesFallsBackOnceToTheServiceToken() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    circleCi.refuseToken(FakeCircleCi.ALICE_TOKEN, 401);

    decideAs("alice", "approve", null);
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).extracting(FakeCircleCi.Recorded::circleToken)
        .containsExactly(FakeCircleCi.ALICE_TOKEN, FakeCircleCi.TOKEN);
    assertThat(runtimeService().getVariable(request.getId(), CIRCLECI_CALL).toString())
        .contains("\"token_owner\":\"service\"").contains("\"refused_token_owner\":\"alice\"").contains("\"refused_status_code\":401");
  }

  @Test
  void aDecisionCarriesOnlyTheAnswer() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    identityService().setAuthentication("carol", List.of("approvers"));

    Map<String, Object> forged = new HashMap<>();
    forged.put(DECISION, "approve");
    forged.put(REQUESTED_BY, "somebody-else");
    assertThatThrownBy(() -> taskService().complete(task().getId(), forged)).hasMessageContaining("not 'requestedBy'");
    assertThatThrownBy(() -> taskService().setVariable(task().getId(), WORKFLOW_ID, "another-workflow"))
        .hasMessageContaining("only an admin");

    identityService().clearAuthentication();
    assertThat(request).isWaitingAt("Decide").variables()
        .containsEntry(REQUESTED_BY, "carol").containsEntry(WORKFLOW_ID, WORKFLOW);
  }

  @Test
  void aGateDecidedInCircleCiMeanwhileIsNotApprovedAgain() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    circleCi.setJobStatus(WORKFLOW, "hold", "success");
    execute(job());

    assertThat(request).hasPassed("GateDecidedElsewhere", "GateDecidedElsewhereEnded");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "CANCELLED");
    assertThat(circleCi.requests("POST", "/approve/")).isEmpty();
  }

  @Test
  void aRejectionDoesNotCancelAWorkflowAlreadyApprovedInCircleCi() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "reject", "Not today");

    circleCi.setJobStatus(WORKFLOW, "hold", "success");
    execute(job());

    assertThat(request).hasPassed("GateDecidedElsewhere", "GateDecidedElsewhereEnded");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "CANCELLED");
    assertThat(circleCi.requests("POST", "/cancel")).isEmpty();
  }

  @Test
  void anUnansweredRequestExpiresAndCancelsTheWorkflow() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + Duration.ofHours(3).plusMinutes(1).toMillis()));
    execute(job("DeadlinePassed"));
    assertThat(request).isWaitingAt("StopExpiredDeploy");
    execute(job());

    assertThat(request).hasPassed("RequestExpired");
    tellTheOutcome(request);
    assertThat(twilio.messagesTo("+15551230001")).last()
        .satisfies(sms -> assertThat(sms.form().get("Body")).contains("nobody answered in time; the workflow was cancelled"));
    assertThat(twilio.messagesTo("+15551230003")).as("the requester is told too").isNotEmpty();
    assertThat(request).variables().containsEntry(STATUS, "EXPIRED");
    assertThat(circleCi.requests("POST", "/workflow/" + WORKFLOW + "/cancel")).hasSize(1);
  }

  @Test
  void anApprovalJobNotYetOnHoldIsLookedUpAgain() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    circleCi.setJobStatus(WORKFLOW, "hold", "blocked");
    ProcessInstance request = requestApproval("hold");

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("not on hold yet");
    circleCi.setJobStatus(WORKFLOW, "hold", "on_hold");
    execute(job());

    assertThat(request).isWaitingAt("Route");
  }

  @Test
  void theRequesterCannotApproveTheirOwnDeployment() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    assertThatThrownBy(() -> decideAs("carol", "approve", "looks fine to me")).hasMessageContaining("own deployment");

    assertThat(request).isWaitingAt("Decide");
    assertThat(task()).isNotAssigned();
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void someoneOutsideTheApproverGroupCannotDecide() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    // Camunda's authorizations refuse first: only the task's candidate groups may work it.
    assertThatThrownBy(() -> decideAs("dave", "approve", null)).isInstanceOf(AuthorizationException.class)
        .hasMessageContaining("dave").hasMessageContaining("TASK_WORK");

    assertThat(request).isWaitingAt("Decide");
  }
}
