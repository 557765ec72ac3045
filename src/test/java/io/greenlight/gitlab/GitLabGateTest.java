package io.greenlight.gitlab;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeGitLab;
import io.greenlight.testing.FakeGitLab.Call;
import io.greenlight.testing.FakeGitLab.Deploy;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * GitLab deployment approvals: a pipeline job asks with {@code POST /api/approvals} for {@code gl/<project path>}, its
 * pipeline and environment; Greenlight finds the deploy job GitLab blocked for approval on a fake GitLab built from
 * {@code contracts/gitlab-deployments.md}, asks the approvers as for every gate, and carries the outcome to GitLab
 * exactly once: the bot's approval and then the job played, or the bot's rejection and then the pipeline cancelled.
 */
class GitLabGateTest extends GreenlightApplicationTest {

  private static final AtomicLong PIPELINES = new AtomicLong(9_101);
  private static final String GITLAB_KEY = "gitlab-key-0123456789abcdef";
  private static final String ALICE = basic("alice", "alice-password");
  private static final String PROJECT = "acme/platform/shop";

  @Autowired
  private RuntimeService runtime;

  private final List<String> started = new ArrayList<>();

  @AfterEach
  void backToTheRealClockAndNothingLeftPending() {
    ClockUtil.reset();
    started.stream().filter(id -> runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0)
        .forEach(id -> runtime.deleteProcessInstance(id, "the test is over"));
    started.clear();
  }

  @Test
  void theBlockedDeploymentIsFoundAndAnApprovalReachesGitLabOnceThenTheJobIsPlayed() {
    Deploy deploy = blocked("production", "octo-gl");
    Answer created = ask(deploy, "octo-gl");
    assertThat(created.status()).isEqualTo(201);
    String id = started(created);
    assertThat(ask(deploy, "octo-gl").status()).as("the same pipeline's environment asked again").isEqualTo(200);
    runDueJobs();

    JsonNode pending = approval(id);
    assertThat(pending.get("gate").asText()).isEqualTo("gitlab");
    assertThat(pending.get("project_slug").asText()).isEqualTo("gl/" + PROJECT);
    assertThat(pending.at("/gitlab/pipeline_id").asLong()).isEqualTo(deploy.pipelineId);
    assertThat(pending.at("/gitlab/environment").asText()).isEqualTo("production");
    assertThat(pending.at("/gitlab/deployment_id").asLong()).isEqualTo(deploy.deploymentId);
    assertThat(pending.at("/gitlab/job_id").asLong()).isEqualTo(deploy.jobId);
    assertThat(pending.at("/gitlab/call").isMissingNode()).isTrue();
    assertThat(pending.get("requested_by").asText()).isEqualTo("octo-gl");
    assertThat(pending.at("/links/build").asText()).isEqualTo(gitlab.baseUrl() + "/" + PROJECT + "/-/pipelines/" + deploy.pipelineId);
    // Alice may be told of other tests' requests too (they share the application): hers among them.
    assertThat(twilio.messagesTo("+15551230001")).anySatisfy(sms -> assertThat(sms.form().get("Body"))
        .startsWith("Deploy approval: gl/" + PROJECT + " to production main " + deploy.sha.substring(0, 7) + " by octo-gl."));
    assertThat(gitlab.calls()).allSatisfy(call -> assertThat(call.method()).isEqualTo("GET"));

    assertThat(decide(id, ALICE, "approve").status()).isEqualTo(200);
    runDueJobs();

    JsonNode approved = approval(id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(gitlab.callsAbout(deploy)).extracting(Call::path, Call::status).containsExactly(
        tuple("/deployments/" + deploy.deploymentId + "/approval", 201),
        tuple("/jobs/" + deploy.jobId + "/play", 200));
    Call approval = gitlab.callsAbout(deploy).get(0);
    assertThat(approval.fields().get("status")).isEqualTo("approved");
    assertThat(approval.fields().get("comment")).startsWith("Approved by alice (api) in Greenlight:")
        .endsWith(PUBLIC_URL + "/history/" + id).hasSizeLessThanOrEqualTo(255);
    assertThat(deploy.jobStatus()).isEqualTo("pending");
    assertThat(approved.at("/gitlab/call/action").asText()).isEqualTo("play");
    assertThat(approved.at("/gitlab/call/status_code").asInt()).isEqualTo(200);
    assertThat(approved.has("circleci")).isFalse();
    assertThat(approved.get("timeline").findValuesAsText("event")).contains("GitLab call");
    assertThat(approved.get("timeline").get(0).get("detail").asText()).contains(", pipeline " + deploy.pipelineId);
    assertThat(client.get("/actuator/prometheus", basic("admin", "test-admin-password")).raw().body())
        .contains("gate=\"gitlab\"").contains("greenlight_gitlab_calls_seconds_count{operation=\"play\"");

    GreenlightTestClient browser = new GreenlightTestClient(port);
    browser.webappLogin("tasklist", "alice", "alice-password");
    assertThat(browser.get("/history/" + id, null).raw().body())
        .contains("GitLab pipeline " + deploy.pipelineId + ", environment production, deployment " + deploy.deploymentId)
        .contains("play: HTTP 200");
    assertThat(browser.get("/history", null).raw().body()).contains("GitLab play 200");
  }

  @Test
  void aRejectionAndAnExpiryRejectTheDeploymentWithTheReasonAndCancelThePipeline() {
    Deploy rejecting = blocked("staging", "octo-gl");
    Deploy expiring = blocked("production", "octo-gl");
    Answer asked = ask(rejecting, "octo-gl");
    String rejectedId = started(asked);
    String expiringId = started(ask(expiring, "octo-gl"));
    runDueJobs();

    assertThat(smsReply("+15551230002", "NO " + asked.body().get("code").asText() + " the migration is not reviewed"))
        .contains("Recorded: you rejected gl/" + PROJECT + " main")
        .contains("The deployment will be rejected and the pipeline cancelled in GitLab.");
    runDueJobs();
    assertThat(approval(rejectedId).get("status").asText()).isEqualTo("REJECTED");
    assertThat(gitlab.callsAbout(rejecting)).extracting(Call::path).containsExactly(
        "/deployments/" + rejecting.deploymentId + "/approval", "/pipelines/" + rejecting.pipelineId + "/cancel");
    assertThat(gitlab.callsAbout(rejecting).get(0).fields()).containsEntry("status", "rejected")
        .hasEntrySatisfying("comment", comment -> assertThat(comment)
            .startsWith("Rejected in Greenlight by bob (sms): the migration is not reviewed").endsWith(rejectedId));
    assertThat(rejecting.jobStatus()).as("the rejection drops the deploy job").isEqualTo("failed");

    passTime(Duration.ofHours(3).plusMinutes(1));
    runDueJobs();
    assertThat(approval(expiringId).get("status").asText()).isEqualTo("EXPIRED");
    assertThat(gitlab.callsAbout(expiring)).extracting(Call::path).containsExactly(
        "/deployments/" + expiring.deploymentId + "/approval", "/pipelines/" + expiring.pipelineId + "/cancel");
    assertThat(gitlab.callsAbout(expiring).get(0).fields().get("comment")).startsWith("Expired in Greenlight: nobody approved by ");
    assertThat(gitlab.cancelledPipelines()).containsExactly(PROJECT + "#" + rejecting.pipelineId, PROJECT + "#" + expiring.pipelineId);
  }

  @Test
  void theDeploymentIsFoundOnThePageItIsOnAndWhenItAppearsLate() {
    long pipelineId = PIPELINES.incrementAndGet();
    String id = started(ask(pipelineId, "production", "octo-gl"));
    // The asking job runs in an earlier stage: GitLab blocks the deploy job only later.
    assertThat(catchThrowable(this::runDueJobs)).hasMessageContaining("no deployment of pipeline " + pipelineId);
    assertThat(approval(id).get("status").asText()).isEqualTo("PENDING");

    Deploy deploy = gitlab.blockedDeploy(PROJECT, "production", pipelineId, "octo-gl", "main", sha());
    // More than a page of newer deployments of other pipelines waiting on the same environment.
    gitlab.otherBlockedDeploys(PROJECT, "production", 130);
    passTime(Duration.ofSeconds(11));
    runDueJobs();

    assertThat(approval(id).at("/gitlab/deployment_id").asLong()).isEqualTo(deploy.deploymentId);
    List<Call> lookups = gitlab.calls().stream().filter(call -> call.path().equals("/deployments")).toList();
    assertThat(lookups).last().satisfies(call -> assertThat(call.fields()).containsEntry("page", "2")
        .containsEntry("environment", "production").containsEntry("status", "blocked"));
  }

  @Test
  void aClaimedRequesterIsOverruledByGitLabsAndMayNotApprove() {
    Deploy deploy = blocked("production", "octo-gl");
    String id = started(ask(deploy, "alice"));
    runDueJobs();

    JsonNode pending = approval(id);
    assertThat(pending.get("requested_by").asText()).isEqualTo("octo-gl");
    assertThat(pending.get("timeline").findValuesAsText("detail")).anySatisfy(detail ->
        assertThat(detail).contains("'alice'").contains("GitLab says 'octo-gl'"));
    Answer ownDeploy = decide(id, basic("octocat", "octocat-password"), "approve");
    assertThat(ownDeploy.status()).as("octo-gl is octocat's GitLab login").isEqualTo(403);
    assertThat(ownDeploy.body().get("error").asText()).isEqualTo("own_deployment");
    assertThat(decide(id, ALICE, "approve").status()).isEqualTo(200);
    runDueJobs();
    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
  }

  @Test
  void anOutageThenARateLimitAreRetriedAndGitLabGetsOneApproval() {
    Deploy deploy = blocked("production", "octo-gl");
    String id = started(ask(deploy, "octo-gl"));
    runDueJobs();
    decide(id, ALICE, "approve");

    gitlab.failNext(500);
    assertThat(catchThrowable(this::runDueJobs)).hasMessageContaining("GitLab answered the approval call with 500");
    gitlab.failNext(429);
    passTime(Duration.ofSeconds(11));
    assertThat(catchThrowable(this::runDueJobs)).hasMessageContaining("GitLab rate-limited the approval call (429)");
    assertThat(approval(id).get("status").asText()).isEqualTo("PENDING");
    passTime(Duration.ofSeconds(31));
    runDueJobs();

    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
    assertThat(gitlab.callsAbout(deploy)).extracting(Call::path, Call::status).containsExactly(
        tuple("/deployments/" + deploy.deploymentId + "/approval", 201),
        tuple("/jobs/" + deploy.jobId + "/play", 200));
  }

  @Test
  void anApprovalWhoseAnswerWasLostIsNotMadeTwiceAndTheJobIsPlayedOnce() {
    Deploy deploy = blocked("production", "octo-gl");
    String id = started(ask(deploy, "octo-gl"));
    runDueJobs();
    decide(id, ALICE, "approve");

    gitlab.loseNextAnswerOf("approval");
    assertThat(catchThrowable(this::runDueJobs)).hasMessageContaining("GitLab answered the approval call with 502");
    passTime(Duration.ofSeconds(11));
    runDueJobs();

    JsonNode approved = approval(id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    // Taken once (its answer lost); the retry was told GitLab no longer waits, and found the bot's own approval.
    assertThat(gitlab.callsAbout(deploy)).extracting(Call::path, Call::status).containsExactly(
        tuple("/deployments/" + deploy.deploymentId + "/approval", 201),
        tuple("/deployments/" + deploy.deploymentId + "/approval", 400),
        tuple("/jobs/" + deploy.jobId + "/play", 200));
    assertThat(approved.get("timeline").findValuesAsText("detail"))
        .anySatisfy(detail -> assertThat(detail).contains("An earlier attempt went through"));
  }

  @Test
  void aPlayWhoseAnswerWasLostIsReadBackFromTheJobAndNotMadeTwice() {
    Deploy deploy = blocked("production", "octo-gl");
    String id = started(ask(deploy, "octo-gl"));
    runDueJobs();
    decide(id, ALICE, "approve");

    gitlab.loseNextAnswerOf("play");
    assertThat(catchThrowable(this::runDueJobs)).hasMessageContaining("GitLab answered the play call with 502");
    passTime(Duration.ofSeconds(11));
    runDueJobs();

    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
    assertThat(gitlab.callsAbout(deploy)).extracting(Call::path, Call::status).containsExactly(
        tuple("/deployments/" + deploy.deploymentId + "/approval", 201),
        tuple("/jobs/" + deploy.jobId + "/play", 200),
        tuple("/deployments/" + deploy.deploymentId + "/approval", 400),
        tuple("/jobs/" + deploy.jobId + "/play", 400));
    assertThat(approval(id).at("/gitlab/call/message").asText()).startsWith("An earlier attempt went through");
  }

  @Test
  void anApprovalAndRunInGitLabMeanwhileEndTheRequestAsDecidedInGitLab() {
    Deploy deploy = blocked("production", "octo-gl");
    String id = started(ask(deploy, "octo-gl"));
    runDueJobs();
    gitlab.approvedAndRunInGitLab(deploy);

    decide(id, ALICE, "approve");
    runDueJobs();

    JsonNode ended = approval(id);
    assertThat(ended.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(ended.get("failure_reason").asText()).contains("GitLab no longer waits for approvals");
    assertThat(ended.get("timeline").findValuesAsText("event")).contains("Decided in GitLab");
    assertThat(gitlab.callsAbout(deploy)).extracting(Call::status).containsExactly(400);
  }

  @Test
  void aBodyThatDoesNotNameAGitLabGateIsRefusedNamingTheField() {
    Answer withoutEnvironment = client.postJson("/api/approvals", bearer(GITLAB_KEY),
        "{\"project_slug\": \"gl/acme/shop\", \"pipeline_id\": 12}");
    assertThat(withoutEnvironment.status()).isEqualTo(400);
    assertThat(withoutEnvironment.body().get("error").asText()).isEqualTo("missing_field");
    assertThat(withoutEnvironment.body().get("field").asText()).isEqualTo("environment");

    Answer circleCisFields = client.postJson("/api/approvals", bearer(GITLAB_KEY),
        "{\"project_slug\": \"gl/acme/shop\", \"workflow_id\": \"" + UUID.randomUUID() + "\", \"environment\": \"prod\"}");
    assertThat(circleCisFields.status()).isEqualTo(400);
    assertThat(circleCisFields.body().get("field").asText()).isEqualTo("workflow_id");
    assertThat(circleCisFields.body().get("message").asText()).contains("pipeline_id and environment");

    Answer dotsForAGroup = client.postJson("/api/approvals", bearer(GITLAB_KEY),
        "{\"project_slug\": \"gl/../shop\", \"pipeline_id\": 12, \"environment\": \"prod\"}");
    assertThat(dotsForAGroup.status()).isEqualTo(400);
    assertThat(dotsForAGroup.body().get("field").asText()).isEqualTo("project_slug");

    Answer gitLabsFieldsForCircleCi = client.postJson("/api/approvals", bearer(ACME_KEY),
        "{\"project_slug\": \"gh/acme/shop\", \"pipeline_id\": 12, \"environment\": \"prod\"}");
    assertThat(gitLabsFieldsForCircleCi.status()).isEqualTo(400);
    assertThat(gitLabsFieldsForCircleCi.body().get("field").asText()).isEqualTo("workflow_id");
    assertThat(gitlab.calls()).isEmpty();
  }

  /** A pipeline of the project reached its deploy job to {@code environment}, pushed by {@code user}: blocked. */
  private Deploy blocked(String environment, String user) {
    return gitlab.blockedDeploy(PROJECT, environment, PIPELINES.incrementAndGet(), user, "main", sha());
  }

  private static String sha() {
    return (UUID.randomUUID().toString().replace("-", "") + "abcdef12").substring(0, 40);
  }

  /** The pipeline's asking job, as docs/gitlab.md writes it (with GITLAB_USER_LOGIN as the claimed requester). */
  private Answer ask(Deploy deploy, String claimedRequester) {
    return ask(deploy.pipelineId, deploy.environment, claimedRequester);
  }

  private Answer ask(long pipelineId, String environment, String claimedRequester) {
    return client.postJson("/api/approvals", bearer(GITLAB_KEY), """
        {"project_slug": "gl/%s", "pipeline_id": %d, "environment": "%s", "requested_by": "%s", "branch": "main",
         "summary": "Release 3.1"}
        """.formatted(PROJECT, pipelineId, environment, claimedRequester));
  }

  private String started(Answer answer) {
    if (answer.status() != 201) {
      throw new AssertionError("POST /api/approvals answered " + answer.status() + ": " + answer.raw().body());
    }
    String id = answer.body().get("id").asText();
    started.add(id);
    return id;
  }

  private Answer decide(String id, String who, String decision) {
    return client.postJson("/api/approvals/" + id + "/decision", who, "{\"decision\": \"" + decision + "\"}");
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, bearer(GITLAB_KEY)).body();
  }

  private static void passTime(Duration duration) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis()));
  }
}
