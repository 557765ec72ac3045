package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.BusinessKey;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The engine, Greenlight's delegates and fakes of CircleCI and Twilio that the process scenario tests share: the real
 * delegates, made by Spring from their own classes ({@link ScenarioBeans}), talk real HTTP to the fakes; the tests run
 * jobs themselves and move the engine's clock.
 */
@Deployment(resources = {"bpmn/deployment-approval.bpmn", "bpmn/approver-routing.dmn", "forms/approve-deployment.form"})
abstract class ApprovalScenario {

  /**
   * The engine of the test class: each class registers its own extension (static, {@code @RegisterExtension}), since one
   * extension forgets its configuration after its class has run.
   */
  protected abstract ProcessEngineExtension engine();

  /**
   * The scenario engine's configuration. Not named {@code camunda.cfg.xml}: Camunda's {@code ProcessEngines.init()}, which
   * the engine REST API's engine lookup may call in a Spring Boot test of the same JVM, builds an engine from every
   * {@code camunda.cfg.xml} on the class path, and that engine's schema would already stand in this one's database.
   */
  static final String ENGINE_CONFIGURATION = "scenario-engine.cfg.xml";

  protected static final String WORKFLOW = "5034460f-c7c4-4c43-9457-de07e2029e7b";
  protected static final String PUBLIC_URL = "https://greenlight.example.com";
  /** Fresh fakes for every test, on ports of their own. */
  protected final FakeCircleCi circleCi = new FakeCircleCi();
  protected final FakeTwilio twilio = new FakeTwilio();
  /** The GitHub App's API: where the change a request deploys is looked up. */
  protected final io.greenlight.testing.FakeGitHub github = new io.greenlight.testing.FakeGitHub();

  protected static final String DORAS_PHONE = "+15551230201";
  /** ivan commands incidents: the break-glass group while deploys are frozen. */
  protected static final String IVANS_PHONE = "+15551230301";
  /** Frozen in (Berlin) business hours by a recurring freeze of the scenarios' settings; no other project is. */
  protected static final String WEEKDAY_PROJECT = "gh/acme/weekday-shop";

  /**
   * carol asks for deployments and is an approver too; bob's number is one Twilio refuses; dave is no approver.
   * The managers take daily turns on call and escalate to the directors. bob and dora may be called (voice).
   */
  private static final Instant ROTATION_START = Instant.parse("2026-01-05T09:00:00Z");
  protected final DirectoryFile directoryFile = new DirectoryFile(
      List.of(new DirectoryFile.User("alice", "alice", "alice@example.com", "+15551230001", null, FakeCircleCi.ALICE_TOKEN, List.of("approvers")),
          new DirectoryFile.User("bob", "bob", "bob@example.com", FakeTwilio.INVALID_NUMBER, null, null, List.of("approvers", "night"),
              List.of(), null, true),
          new DirectoryFile.User("carol", "carol", "carol@example.com", "+15551230003", null, null, List.of("approvers", "solo")), user("dave", null, "developers"),
          user("mia", null, "managers"), user("max", null, "managers"), user("mo", null, "managers"),
          new DirectoryFile.User("dora", "dora", "dora@example.com", DORAS_PHONE, null, null, List.of("directors"), List.of(), null, true),
          new DirectoryFile.User("ivan", "ivan", "ivan@example.com", IVANS_PHONE, null, null, List.of("incident-commanders"), List.of(), null, true)),
      List.of(new DirectoryFile.Group("approvers", "Approvers", null, null),
          new DirectoryFile.Group("developers", "Developers", null, null),
          new DirectoryFile.Group("managers", "Managers", "directors",
              new DirectoryFile.OnCall(Duration.ofDays(1), ROTATION_START, List.of("mia", "max", "mo"), null)),
          new DirectoryFile.Group("directors", "Directors", null, null),
          new DirectoryFile.Group("solo", "Only the requester", "directors", null),
          new DirectoryFile.Group("night", "Night shift", "directors", null),
          new DirectoryFile.Group("incident-commanders", "Incident commanders", null, null)),
      List.of());
  protected final Directory directory = Directory.of(directoryFile);
  private static final String SECRETS_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

  @BeforeEach
  void wireDelegates() {
    init(engine().getProcessEngine());
    migrateOnce();
    circleCiUrl = circleCi.baseUrl();
    twilioUrl = twilio.baseUrl();
    wire();
  }

  /**
   * Greenlight's own tables, as Flyway makes them in the application. Here rather than before all tests: the engine
   * (and its database) exists once the extension has made a test instance.
   */
  private synchronized void migrateOnce() {
    if (!migrated) {
      Flyway.configure().dataSource(database())
          .table("greenlight_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
      migrated = true;
    }
  }

  private static boolean migrated;

  protected DataSource database() {
    return engine().getProcessEngineConfiguration().getDataSource();
  }

  /** From now on the CircleCI steps talk to CircleCI at {@code baseUrl}. */
  protected void wireCircleCi(String baseUrl) {
    circleCiUrl = baseUrl;
    wire();
  }

  /** From now on the SMS steps talk to Twilio at {@code baseUrl}. */
  protected void wireTwilio(String baseUrl) {
    twilioUrl = baseUrl;
    wire();
  }

  private String circleCiUrl;
  private String twilioUrl;
  private ScenarioBeans beans;

  /**
   * The steps the diagram names, made as the application makes them (see {@link ScenarioBeans}), set to talk to the
   * fakes with 2 s connect and read timeouts; no mail server, so e-mail is off.
   */
  private void wire() {
    closeBeans();
    Map<String, Object> settings = new HashMap<>();
    settings.put("greenlight.public-base-url", PUBLIC_URL);
    settings.put("greenlight.circleci.base-url", circleCiUrl);
    settings.put("greenlight.circleci.token", FakeCircleCi.TOKEN);
    settings.put("greenlight.circleci.connect-timeout", "2s");
    settings.put("greenlight.circleci.read-timeout", "2s");
    settings.put("greenlight.twilio.account-sid", FakeTwilio.ACCOUNT_SID);
    settings.put("greenlight.twilio.auth-token", FakeTwilio.AUTH_TOKEN);
    settings.put("greenlight.twilio.from-number", FakeTwilio.FROM);
    settings.put("greenlight.twilio.base-url", twilioUrl);
    settings.put("greenlight.twilio.connect-timeout", "2s");
    settings.put("greenlight.twilio.read-timeout", "2s");
    settings.put("greenlight.twilio.voice", "true");
    settings.put("greenlight.mail.from", "greenlight@example.com");
    settings.put("greenlight.github.app-id", io.greenlight.testing.FakeGitHub.APP_ID);
    settings.put("greenlight.github.private-key", io.greenlight.testing.FakeGitHub.privateKeyPem());
    settings.put("greenlight.github.webhook-secret", io.greenlight.testing.FakeGitHub.WEBHOOK_SECRET);
    settings.put("greenlight.github.base-url", github.baseUrl());
    settings.put("greenlight.github.connect-timeout", "2s");
    settings.put("greenlight.github.read-timeout", "2s");
    settings.put("greenlight.secrets.key", SECRETS_KEY);
    settings.put("greenlight.freezes.recurring[0].projects", WEEKDAY_PROJECT);
    settings.put("greenlight.freezes.recurring[0].cron", "0 0 9 * * MON-FRI");
    settings.put("greenlight.freezes.recurring[0].duration", "PT8H");
    settings.put("greenlight.freezes.recurring[0].zone", "Europe/Berlin");
    settings.put("greenlight.freezes.recurring[0].reason", "No deploys in Berlin business hours");
    beans = ScenarioBeans.register(engine().getProcessEngine(), directory, directoryFile, settings);
  }

  private void closeBeans() {
    if (beans != null) {
      beans.close();
      beans = null;
    }
  }

  /** One of the steps' beans, as the diagram's expressions reach them. */
  protected <T> T bean(Class<T> type) {
    return beans.bean(type);
  }

  /** The share of the diagram's elements this class's scenarios reached, reported by the build (see {@link ProcessCoverage}). */
  protected static double reportCoverage(TestInfo testClass) throws java.io.IOException {
    return ProcessCoverage.report(testClass.getTestClass().orElseThrow().getSimpleName());
  }

  @AfterEach
  void cleanUp() {
    closeBeans();
    Mocks.reset();
    ClockUtil.reset();
    identityService().clearAuthentication();
    circleCi.close();
    twilio.close();
    github.close();
  }

  protected ProcessInstance requestApproval(String approvalJob) {
    return requestApproval("gh/acme/shop", approvalJob);
  }

  protected ProcessInstance requestApproval(String projectSlug, String approvalJob) {
    return requestApproval(projectSlug, approvalJob, null);
  }

  protected ProcessInstance requestApproval(String projectSlug, String approvalJob, String approverGroup) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(PROJECT_SLUG, projectSlug);
    variables.put(WORKFLOW_ID, WORKFLOW);
    variables.put(APPROVAL_JOB, approvalJob);
    variables.put(REQUESTED_BY, "carol");
    variables.put(BRANCH, "main");
    variables.put(COMMIT, "abc1234def");
    variables.put(REQUESTED_APPROVER_GROUP, approverGroup);
    circleCi.triggeredBy(WORKFLOW, "carol", "main", "abc1234def" + "0".repeat(30));
    ProcessInstance request = runtimeService().startProcessInstanceByKey(PROCESS_KEY,
        BusinessKey.of(projectSlug, WORKFLOW, approvalJob), variables);
    assertWaitingToFindTheGate(request);
    return request;
  }

  /** A request of gh/acme/shop's {@code approvalJob} for {@code commit}, as CircleCI has it, in the scenario's workflow. */
  protected ProcessInstance requestApprovalOf(String approvalJob, String commit) {
    return requestApprovalOf(approvalJob, commit, WORKFLOW);
  }

  protected ProcessInstance requestApprovalOf(String approvalJob, String commit, String workflowId) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(PROJECT_SLUG, "gh/acme/shop");
    variables.put(WORKFLOW_ID, workflowId);
    variables.put(APPROVAL_JOB, approvalJob);
    variables.put(REQUESTED_BY, "carol");
    variables.put(BRANCH, "main");
    variables.put(COMMIT, commit);
    variables.put(REQUESTED_APPROVER_GROUP, null);
    circleCi.triggeredBy(workflowId, "carol", "main", commit);
    ProcessInstance request = runtimeService().startProcessInstanceByKey(PROCESS_KEY,
        BusinessKey.of("gh/acme/shop", workflowId, approvalJob), variables);
    assertWaitingToFindTheGate(request);
    return request;
  }

  /** At the first step, finding the gate: "FindGate", or "FindApprovalJob" in a model from before gates had kinds. */
  protected void assertWaitingToFindTheGate(ProcessInstance request) {
    assertThat(request).isActive(); // and the scenario's job() and task() are this request's from here on
    assertThat(runtimeService().getActiveActivityIds(request.getId()).stream().map(ActivityIds::current))
        .containsExactly(ActivityIds.FIND_GATE);
  }

  /** Find the gate and route: then the approvers are asked, and notified while they are. */
  protected void reachDecision(ProcessInstance request) {
    execute(job());
    assertThat(request).isWaitingAt("Route");
    execute(job());
    // Each approver is then asked on each channel that reaches them (a job each): nothing to run for one who has none.
    assertThat(request).isWaitingAt("Decide", "WaitToEscalate");
  }

  /** The job that asks {@code approver} on {@code channel} ("Ask on each of their channels"). */
  protected static org.camunda.bpm.engine.runtime.Job channelJob(ProcessInstance request, String approver, String channel) {
    return managementService().createJobQuery().processInstanceId(request.getId()).activityId("AskOnTheirChannels").list()
        .stream().filter(job -> approver.equals(runtimeService().getVariable(job.getExecutionId(), APPROVER))
            && channel.equals(runtimeService().getVariableLocal(job.getExecutionId(), "channel")))
        .findFirst().orElseThrow(() -> new AssertionError("No job asks " + approver + " on " + channel));
  }

  /**
   * The request's variables, with what "Choose who to ask next" last wrote for its rule ({@code toAsk},
   * {@code levelAsked}, {@code everyoneAsked}: variables of the rule's "Ask each rule's approvers" instance, kept in the
   * history once it ended). The scenarios here have one rule.
   */
  protected static Map<String, Object> asking(ProcessInstance request) {
    Map<String, Object> variables = new HashMap<>(runtimeService().getVariables(request.getId()));
    historyService().createHistoricVariableInstanceQuery().processInstanceId(request.getId())
        .variableNameIn(TO_ASK, LEVEL_ASKED, EVERYONE_ASKED).list()
        .forEach(variable -> variables.put(variable.getName(), variable.getValue()));
    return variables;
  }

  /** However a request ends, everyone concerned is told; then it is closed. */
  protected static void tellTheOutcome(ProcessInstance request) {
    // First the step itself, then one job per person told.
    for (int round = 0; round < 3; round++) {
      managementService().createJobQuery().processInstanceId(request.getId()).list().forEach(BpmnAwareTests::execute);
    }
    assertThat(request).hasPassed("RequestClosed").isEnded();
  }

  /** An address where nothing listens (a port just free). */
  protected static String unreachable() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected static void passTime(Duration duration) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis()));
  }

  protected void decideAs(String userId, String decision, String comment) {
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

  protected static Object historicVariable(ProcessInstance request, String name) {
    return historyService().createHistoricVariableInstanceQuery().processInstanceId(request.getId())
        .variableName(name).singleResult().getValue();
  }

  private static DirectoryFile.User user(String id, String phone, String group) {
    return new DirectoryFile.User(id, id, id + "@example.com", phone, null, null, List.of(group));
  }
}
