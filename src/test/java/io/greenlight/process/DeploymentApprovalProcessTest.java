package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;

import io.greenlight.approval.BusinessKey;
import io.greenlight.approval.Deadline;
import io.greenlight.approval.Notification;
import io.greenlight.circleci.ApproveInCircleCi;
import io.greenlight.circleci.CallAttempts;
import io.greenlight.directory.PersonalTokens;
import io.greenlight.secrets.SecretBox;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import io.greenlight.circleci.CancelWorkflow;
import io.greenlight.circleci.CircleCiClient;
import io.greenlight.circleci.CircleCiProperties;
import io.greenlight.circleci.CircleCiTokens;
import io.greenlight.circleci.FindApprovalJob;
import io.greenlight.decision.DecisionRules;
import io.greenlight.decision.RecordDecision;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.decision.Quorum;
import io.greenlight.notify.ApproversToAsk;
import io.greenlight.notify.Escalations;
import io.greenlight.notify.AskNextLevel;
import io.greenlight.oncall.OnCallSchedule;
import io.greenlight.oncall.Rotation;
import io.greenlight.notify.Notifications;
import io.greenlight.notify.TellOutcome;
import io.greenlight.sms.SmsChannel;
import io.greenlight.notify.SendEmail;
import io.greenlight.sms.ApprovalCodes;
import io.greenlight.sms.SendSms;
import io.greenlight.sms.TwilioProperties;
import io.greenlight.sms.TwilioSmsSender;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterAll;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One test per path through {@code bpmn/deployment-approval.bpmn}, with the real delegates talking real
 * HTTP to a fake CircleCI.
 */
@Deployment(resources = {"bpmn/deployment-approval.bpmn", "bpmn/approver-routing.dmn", "forms/approve-deployment.form"})
class DeploymentApprovalProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().build();

  private static final String WORKFLOW = "5034460f-c7c4-4c43-9457-de07e2029e7b";
  private static final String PUBLIC_URL = "https://greenlight.example.com";
  private static final FakeCircleCi circleCi = new FakeCircleCi();
  private static final FakeTwilio twilio = new FakeTwilio();

  /**
   * carol asks for deployments and is an approver too; bob's number is one Twilio refuses; dave is no approver.
   * The managers take daily turns on call and escalate to the directors.
   */
  private static final Instant ROTATION_START = Instant.parse("2026-01-05T09:00:00Z");
  private final DirectoryFile directoryFile = new DirectoryFile(
      List.of(new DirectoryFile.User("alice", "alice", "alice@example.com", "+15551230001", null, FakeCircleCi.ALICE_TOKEN, List.of("approvers")),
          new DirectoryFile.User("bob", "bob", "bob@example.com", FakeTwilio.INVALID_NUMBER, null, null, List.of("approvers", "night")),
          new DirectoryFile.User("carol", "carol", "carol@example.com", "+15551230003", null, null, List.of("approvers", "solo")), user("dave", null, "developers"),
          user("mia", null, "managers"), user("max", null, "managers"), user("mo", null, "managers"), user("dora", null, "directors")),
      List.of(new DirectoryFile.Group("approvers", "Approvers", null, null),
          new DirectoryFile.Group("developers", "Developers", null, null),
          new DirectoryFile.Group("managers", "Managers", "directors",
              new DirectoryFile.OnCall(Duration.ofDays(1), ROTATION_START, List.of("mia", "max", "mo"), null)),
          new DirectoryFile.Group("directors", "Directors", null, null),
          new DirectoryFile.Group("solo", "Only the requester", "directors", null),
          new DirectoryFile.Group("night", "Night shift", "directors", null)),
      List.of());
  private final Directory directory = Directory.of(directoryFile);
  private static final String SECRETS_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

  /** Greenlight's own tables, as Flyway makes them in the application. */
  @BeforeAll
  static void migrate() {
    Flyway.configure().dataSource(engine.getProcessEngineConfiguration().getDataSource())
        .table("greenlight_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
  }

  @BeforeEach
  void wireDelegates() {
    init(engine.getProcessEngine());
    circleCi.reset();
    twilio.reset();
    CircleCiProperties properties = new CircleCiProperties(circleCi.baseUrl(), FakeCircleCi.TOKEN, Duration.ofSeconds(2), Duration.ofSeconds(2));
    CircleCiClient client = new CircleCiClient(properties);
    DataSource database = engine.getProcessEngineConfiguration().getDataSource();
    JdbcTemplate jdbc = new JdbcTemplate(database);
    PersonalTokens personalTokens = new PersonalTokens(jdbc, SecretBox.of(SECRETS_KEY, null));
    personalTokens.replaceWith(directoryFile);
    CircleCiTokens tokens = new CircleCiTokens(properties, personalTokens);
    TransactionTemplate ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(database));
    ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    CallAttempts attempts = new CallAttempts(jdbc, ownTransaction);
    Mocks.register("circleCiCallAttempts", attempts);
    Mocks.register("findApprovalJob", new FindApprovalJob(client, tokens));
    Mocks.register("approveInCircleCi", new ApproveInCircleCi(client, tokens, attempts));
    Mocks.register("cancelWorkflow", new CancelWorkflow(client, tokens, attempts));
    Mocks.register("approversToAsk", new ApproversToAsk(directory));
    Mocks.register("askNextLevel", new AskNextLevel(directory, new OnCallSchedule(directory)));
    Mocks.register("quorum", new Quorum());
    Mocks.register("sendSms", new SendSms(new SmsChannel(Optional.of(new TwilioSmsSender(
        new TwilioProperties(FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN, FakeTwilio.FROM, twilio.baseUrl())))), directory, PUBLIC_URL,
        new Escalations(runtimeService())));
    Mocks.register("sendEmail", new SendEmail(Optional.empty(), directory, PUBLIC_URL, "greenlight@example.com"));
    Mocks.register("tellOutcome", new TellOutcome(new SmsChannel(Optional.of(new TwilioSmsSender(
        new TwilioProperties(FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN, FakeTwilio.FROM, twilio.baseUrl())))), Optional.empty(),
        directory, "greenlight@example.com"));
    Mocks.register("approvalCodes", new ApprovalCodes(new JdbcTemplate(engine.getProcessEngineConfiguration().getDataSource())));
    Mocks.register("recordDecision", new RecordDecision(new DecisionRules(directory)));
    Mocks.register("deadline", new Deadline());
  }

  @AfterEach
  void cleanUp() {
    Mocks.reset();
    ClockUtil.reset();
    identityService().clearAuthentication();
  }

  @AfterAll
  static void stopFakes() {
    circleCi.close();
    twilio.close();
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
    assertThat(request).isWaitingAt("ApproveInCircleCi");
    execute(job());

    assertThat(request).hasPassed("DeploymentApproved");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "APPROVED");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
    assertThat(circleCi.requests("POST", "/cancel")).isEmpty();
  }

  @Test
  void everyApproverIsTextedAndTheFirstAnswerEndsTheNotifyingStillUnderWay() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    runtimeService().setVariable(request.getId(), CODE, "4821");
    reachDecision(request);

    managementService().createJobQuery().activityId("SendSms").list().forEach(BpmnAwareTests::execute);

    assertThat(twilio.messages()).hasSize(1); // alice; bob's number is refused; carol asked for the deploy
    FakeTwilio.Sent toAlice = twilio.messagesTo("+15551230001").get(0);
    String expires = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC)
        .format(((Date) runtimeService().getVariable(request.getId(), EXPIRES_AT)).toInstant());
    assertThat(toAlice.form()).containsEntry("From", FakeTwilio.FROM)
        .containsEntry("Body", "Deploy approval: gh/acme/shop main abc1234 by carol. Reply APPROVE 4821 or REJECT 4821 <reason>. Expires "
            + expires + " UTC.")
        .containsEntry("StatusCallback", PUBLIC_URL + "/twilio/status?request=" + request.getId() + "&user=alice");
    List<Notification> notified = Notifications.in(runtimeService().getVariables(request.getId()));
    assertThat(notified).filteredOn(n -> n.user().equals("alice")).singleElement()
        .satisfies(n -> assertThat(n).extracting(Notification::channel, Notification::status, Notification::reference)
            .containsExactly("sms", "queued", toAlice.sid()));
    assertThat(notified).filteredOn(n -> n.user().equals("bob")).singleElement()
        .satisfies(n -> {
          assertThat(n.status()).isEqualTo("failed");
          assertThat(n.detail()).contains("21211");
        });
    assertThat(managementService().createJobQuery().activityId("SendEmail").count()).isEqualTo(2);

    decideAs("alice", "approve", null);

    assertThat(request).isWaitingAt("ApproveInCircleCi");
    assertThat(managementService().createJobQuery().activityId("SendEmail").count()).isZero();
  }

  @Test
  void aTwilioOutageIsRetriedWithoutHoldingUpTheDecision() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    for (int i = 0; i < 10; i++) {
      twilio.failNext(503); // the SDK tries a few times itself before giving up
    }

    Job firstSms = managementService().createJobQuery().activityId("SendSms").list().get(0);
    assertThatThrownBy(() -> execute(firstSms)).hasMessageContaining("503");

    assertThat(managementService().createJobQuery().jobId(firstSms.getId()).singleResult().getRetries()).isEqualTo(5);
    assertThat(request).isWaitingAt("Decide");
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveInCircleCi");
  }

  @Test
  void nobodyAnsweringEscalatesToTheRestOfTheGroupThenToTheDirectors() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "managers");
    reachDecision(request);
    String onCall = new Rotation(directory.group("managers").orElseThrow().onCall()).at(ClockUtil.getCurrentTime().toInstant()).member();

    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 1).containsEntry(TO_ASK, onCall);
    assertThat(task()).hasCandidateGroup("managers");

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    List<String> restOfGroup = new java.util.ArrayList<>(List.of("mia", "max", "mo"));
    restOfGroup.remove(onCall);
    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 2).containsEntry(TO_ASK, String.join(",", restOfGroup));

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora")
        .containsEntry(ESCALATED_TO, "directors");
    assertThat(task()).hasCandidateGroup("directors");
    assertThat(request).hasPassed("EveryoneAsked");
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).isZero();

    decideAs("dora", "approve", "covering for the managers");
    assertThat(request).isWaitingAt("ApproveInCircleCi");
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
    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 2).containsEntry(TO_ASK, String.join(",", restOfGroup));
  }

  @Test
  void whenOnlyTheRequesterIsInTheGroupTheEscalationGroupIsAskedAndMayAnswer() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "solo");
    execute(job());
    execute(job());

    assertThat(request).isWaitingAt("Decide").hasPassed("EveryoneAsked");

    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora");
    assertThat(task()).hasCandidateGroup("directors");
    decideAs("dora", "approve", null);
    assertThat(request).isWaitingAt("ApproveInCircleCi");
  }

  @Test
  void aNumberRefusedForTheOnlyPersonAskedEscalatesAtOnce() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "night");
    reachDecision(request);
    assertThat(request).variables().containsEntry(TO_ASK, "bob");

    execute(job("SendSms"));

    assertThat(request).variables().containsEntry(ESCALATION_LEVEL, 3).containsEntry(TO_ASK, "dora");
    assertThat(task()).hasCandidateGroup("directors");
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

    assertThat(request).isWaitingAt("ApproveInCircleCi");
  }

  @Test
  void aRejectionAfterOneApprovalEndsIt() {
    circleCi.workflowOnHold(WORKFLOW, "hold", "gh/acme/payments");
    ProcessInstance request = requestApproval("gh/acme/payments", "hold", null);
    reachDecision(request);

    decideAs("alice", "approve", null);
    decideAs("bob", "reject", "The migration is not reversible");

    assertThat(request).isWaitingAt("CancelRejectedWorkflow");
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
    assertThat(request).isWaitingAt("CancelRejectedWorkflow");
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

    assertThat(request).hasPassed("GateAlreadyDecided", "DecidedBeforeAsking");
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
    new JdbcTemplate(engine.getProcessEngineConfiguration().getDataSource()).update(
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
    assertThat(new JdbcTemplate(engine.getProcessEngineConfiguration().getDataSource())
        .queryForObject("select count(*) from greenlight_circleci_attempt where process_instance_id = ?", Integer.class, request.getId()))
        .as("an ended request keeps no attempts").isZero();
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
  void aRefusedServiceTokenIsRetriedNotWorkedAround() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("bob", "approve", null);
    circleCi.refuseToken(FakeCircleCi.TOKEN, 403);

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("refused the token (403)");

    assertThat(request).isWaitingAt("ApproveInCircleCi");
    assertThat(job().getRetries()).isEqualTo(5);
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

    assertThat(request).hasPassed("ApprovalDecidedInCircleCi", "ApprovalOvertaken");
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

    assertThat(request).hasPassed("RejectionOvertaken");
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
    assertThat(request).isWaitingAt("CancelExpiredWorkflow");
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
  void circleCiFailingIsRetriedThenRaisesAnIncidentAndResolvingItResumes() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    circleCi.failNext(100, 503, null);

    Job findJob = job();
    int attempts = 0;
    while (findJob.getRetries() > 0) {
      assertThatThrownBy(() -> execute(job())).hasMessageContaining("503");
      findJob = job();
      attempts++;
    }

    // The first attempt and one retry per interval of PT10S,PT30S,PT1M,PT5M,PT15M.
    assertThat(attempts).isEqualTo(6);
    assertThat(runtimeService().createIncidentQuery().processInstanceId(request.getId()).count()).isEqualTo(1);
    assertThat(request).isWaitingAt("FindApprovalJob");

    // CircleCI is back; an operator retries the incident in Cockpit.
    circleCi.reset();
    circleCi.workflowOnHold(WORKFLOW, "hold");
    managementService().setJobRetries(findJob.getId(), 1);
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
  void rateLimitingWaitsAsLongAsRetryAfterSays() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    requestApproval("hold");
    circleCi.failNext(1, 429, "600");
    Date limitedAt = ClockUtil.getCurrentTime();

    assertThatThrownBy(() -> execute(job())).hasMessageContaining("rate-limited");

    assertThat(job().getDuedate()).isAfterOrEqualTo(new Date(limitedAt.getTime() + 599_000));
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
  void circleCiRefusingForGoodFailsTheRequest() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    circleCi.failNextPost(400);
    execute(job());

    assertThat(request).hasPassed("CircleCiRefused", "RefusedRequestFailed");
    tellTheOutcome(request);
    assertThat(request).variables().containsEntry(STATUS, "FAILED");
    assertThat((String) historicVariable(request, FAILURE_REASON)).contains("400");
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
    assertThat(request).isWaitingAt("ApproveInCircleCi");
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

  private ProcessInstance requestApproval(String approvalJob) {
    return requestApproval("gh/acme/shop", approvalJob);
  }

  private ProcessInstance requestApproval(String projectSlug, String approvalJob) {
    return requestApproval(projectSlug, approvalJob, null);
  }

  private ProcessInstance requestApproval(String projectSlug, String approvalJob, String approverGroup) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(PROJECT_SLUG, projectSlug);
    variables.put(WORKFLOW_ID, WORKFLOW);
    variables.put(APPROVAL_JOB, approvalJob);
    variables.put(REQUESTED_BY, "carol");
    variables.put(BRANCH, "main");
    variables.put(COMMIT, "abc1234def");
    variables.put(REQUESTED_APPROVER_GROUP, approverGroup);
    ProcessInstance request = runtimeService().startProcessInstanceByKey(PROCESS_KEY,
        BusinessKey.of(projectSlug, WORKFLOW, approvalJob), variables);
    assertThat(request).isWaitingAt("FindApprovalJob");
    return request;
  }

  /** Find the gate and route: then the approvers are asked, and notified while they are. */
  private void reachDecision(ProcessInstance request) {
    execute(job());
    assertThat(request).isWaitingAt("Route");
    execute(job());
    assertThat(request).isWaitingAt("Decide", "SendSms", "SendEmail", "WaitToEscalate");
  }

  /** However a request ends, everyone concerned is told; then it is closed. */
  private static void tellTheOutcome(ProcessInstance request) {
    // First the step itself, then one job per person told.
    for (int round = 0; round < 3; round++) {
      managementService().createJobQuery().processInstanceId(request.getId()).list().forEach(BpmnAwareTests::execute);
    }
    assertThat(request).hasPassed("RequestClosed").isEnded();
  }

  private static void passTime(Duration duration) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis()));
  }

  private void decideAs(String userId, String decision, String comment) {
    org.camunda.bpm.engine.task.Task open = task();
    identityService().setAuthentication(userId, directory.user(userId).orElseThrow().groups());
    try {
      Map<String, Object> answer = new HashMap<>();
      answer.put(DECISION, decision);
      answer.put(COMMENT, comment);
      complete(open, answer);
    } finally {
      identityService().clearAuthentication();
    }
  }

  private static Object historicVariable(ProcessInstance request, String name) {
    return historyService().createHistoricVariableInstanceQuery().processInstanceId(request.getId())
        .variableName(name).singleResult().getValue();
  }

  private static DirectoryFile.User user(String id, String phone, String group) {
    return new DirectoryFile.User(id, id, id + "@example.com", phone, null, null, List.of(group));
  }
}
