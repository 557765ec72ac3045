package io.greenlight.github;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeGitHub;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * GitHub Actions gates: a signed {@code deployment_protection_rule} webhook starts a request, the approvers are asked as
 * for CircleCI, and the outcome reaches the run's callback on a fake GitHub exactly once, saying who decided.
 */
class GitHubGateTest extends GreenlightApplicationTest {

  private static final AtomicLong RUNS = new AtomicLong(9_000_000_000L);
  private static final String ALICE = basic("alice", "alice-password");
  private static final String BOB = basic("bob", "bob-password");

  @Autowired
  private HistoryService history;

  @Autowired
  private RuntimeService runtime;

  private final List<String> started = new ArrayList<>();

  @AfterEach
  void backToTheRealClockAndNothingLeftPending() {
    ClockUtil.reset();
    // The application and its database outlive this class: its pending requests would be asked about in the next.
    started.stream().filter(id -> runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0)
        .forEach(id -> runtime.deleteProcessInstance(id, "the test is over"));
    started.clear();
  }

  /** The id of the request an answer names, kept to be ended after the test. */
  private String started(Answer answer) {
    String id = answer.body().get("id").asText();
    started.add(id);
    return id;
  }

  @Test
  void aSignedWebhookStartsARequestAndAnApprovalReachesGitHubOnceNamingWhoApproved() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    Answer created = deliver(webhook);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().has("code")).as("GitHub keeps the answer for the App's owners: no SMS code in it").isFalse();
    String id = started(created);
    runDueJobs();
    JsonNode pending = approval(id);
    assertThat(pending.get("gate").asText()).isEqualTo("github");
    assertThat(pending.get("project_slug").asText()).isEqualTo("gh/acme/shop");
    assertThat(pending.get("requested_by").asText()).isEqualTo("octocat");
    assertThat(pending.get("branch").asText()).isEqualTo("main");
    assertThat(pending.get("commit").asText()).isEqualTo(webhook.sha);
    assertThat(pending.at("/github/run_id").asText()).isEqualTo(webhook.runId);
    assertThat(pending.at("/github/environment").asText()).isEqualTo("production");
    assertThat(pending.at("/github/deployment_id").asLong()).isEqualTo(webhook.deploymentId);
    assertThat(pending.at("/links/build").asText()).isEqualTo("https://github.com/acme/shop/actions/runs/" + webhook.runId);
    assertThat(twilio.messagesTo("+15551230001")).first().satisfies(sms -> assertThat(sms.form().get("Body"))
        .startsWith("Deploy approval: gh/acme/shop to production main " + webhook.sha.substring(0, 7) + " by octocat."));

    Answer ownDeploy = client.postJson("/api/approvals/" + id + "/decision", basic("octocat", "octocat-password"),
        "{\"decision\": \"approve\"}");
    assertThat(ownDeploy.status()).isEqualTo(403);
    assertThat(ownDeploy.body().get("error").asText()).isEqualTo("own_deployment");
    assertThat(client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}").status())
        .isEqualTo(200);
    runDueJobs();

    JsonNode approved = approval(id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(github.reviewsOf(webhook.runId)).singleElement().satisfies(review -> {
      assertThat(review.status()).isEqualTo(204);
      assertThat(review.repository()).isEqualTo("acme/shop");
      assertThat(review.runId()).isEqualTo(webhook.runId);
      assertThat(review.environment()).isEqualTo("production");
      assertThat(review.state()).isEqualTo("approved");
      assertThat(review.comment()).startsWith("Approved in Greenlight by alice (api)").contains(id);
    });
    // The fake took the review only with an installation token it issued for the App's valid JWT.
    assertThat(approved.at("/github/call/state").asText()).isEqualTo("approved");
    assertThat(approved.at("/github/call/status_code").asInt()).isEqualTo(204);
    assertThat(approved.has("circleci")).isFalse();
    assertThat(circleCi.requests("GET", "/workflow/" + webhook.runId + "/job")).isEmpty();
    assertThat(client.get("/actuator/prometheus", basic("admin", "test-admin-password")).raw().body())
        .contains("gate=\"github\"");
  }

  @Test
  void whoDeploysIsKnownByTheirGitHubLoginAndMayNotApprove() {
    Webhook webhook = webhook("acme/shop", "production", "bob-on-github");
    String id = started(deliver(webhook));
    runDueJobs();

    Answer ownDeploy = client.postJson("/api/approvals/" + id + "/decision", BOB, "{\"decision\": \"approve\"}");
    assertThat(ownDeploy.status()).isEqualTo(403);
    assertThat(ownDeploy.body().get("error").asText()).isEqualTo("own_deployment");
    assertThat(approval(id).get("timeline").findValuesAsText("event")).doesNotContain("Requester not in directory");
    assertThat(client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}").status())
        .isEqualTo(200);
    runDueJobs();
    assertThat(github.reviewsOf(webhook.runId)).singleElement().satisfies(review ->
        assertThat(review.comment()).startsWith("Approved in Greenlight by alice (api)"));
  }

  @Test
  void aRejectionAndAnExpiryRejectTheRuleWithTheReason() {
    Webhook rejecting = webhook("acme/shop", "staging", "octocat");
    Webhook expiring = webhook("acme/shop", "production", "octocat");
    String rejectedId = started(deliver(rejecting));
    String expiringId = started(deliver(expiring));
    runDueJobs();

    assertThat(client.postJson("/api/approvals/" + rejectedId + "/decision", BOB,
        "{\"decision\": \"reject\", \"comment\": \"the migration is not reviewed\"}").status()).isEqualTo(200);
    runDueJobs();
    assertThat(approval(rejectedId).get("status").asText()).isEqualTo("REJECTED");
    assertThat(github.reviewsOf(rejecting.runId)).singleElement().satisfies(review -> {
      assertThat(review.environment()).isEqualTo("staging");
      assertThat(review.state()).isEqualTo("rejected");
      assertThat(review.comment()).startsWith("Rejected in Greenlight by bob (api): the migration is not reviewed");
    });

    passTime(Duration.ofHours(3).plusMinutes(1));
    runDueJobs();
    assertThat(approval(expiringId).get("status").asText()).isEqualTo("EXPIRED");
    assertThat(github.reviewsOf(expiring.runId)).singleElement().satisfies(review -> {
      assertThat(review.environment()).isEqualTo("production");
      assertThat(review.state()).isEqualTo("rejected");
      assertThat(review.comment()).startsWith("Expired in Greenlight: nobody approved by ");
    });
  }

  @Test
  void unsignedWronglySignedAndOtherSecretWebhooksStartNothing() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    long before = requestCount();

    List<Answer> refused = List.of(
        post(webhook.body, null, "deployment_protection_rule", webhook.delivery),
        post(webhook.body, "sha256=" + "0".repeat(64), "deployment_protection_rule", webhook.delivery),
        post(webhook.body, GitHubSignatures.sign("another-apps-secret", webhook.body.getBytes(StandardCharsets.UTF_8)),
            "deployment_protection_rule", webhook.delivery),
        post(webhook.body.replace("production", "staging"), webhook.signature(), "deployment_protection_rule",
            webhook.delivery));

    assertThat(refused).allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.body().get("error").asText()).isEqualTo("invalid_signature");
    });
    assertThat(requestCount()).isEqualTo(before);
    Answer signed = deliver(webhook);
    assertThat(signed.status()).isEqualTo(201);
    started(signed);
  }

  @Test
  void aSignedPayloadWhoseCallbackIsNotOnTheConfiguredGitHubStartsNothing() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    String elsewhere = webhook.body.replace(github.baseUrl(), "https://collector.example.com");
    long before = requestCount();

    Answer refused = post(elsewhere, GitHubSignatures.sign(FakeGitHub.WEBHOOK_SECRET, elsewhere.getBytes(StandardCharsets.UTF_8)),
        "deployment_protection_rule", webhook.delivery);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("error").asText()).isEqualTo("invalid_webhook");
    assertThat(refused.body().get("field").asText()).isEqualTo("deployment_callback_url");
    assertThat(requestCount()).isEqualTo(before);
  }

  @Test
  void aCallbackWhosePathLeavesTheRunOnceNormalisedStartsNothingAndNoTokenIsAskedFor() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    String review = "/actions/runs/" + webhook.runId + "/deployment_protection_rule";
    long before = requestCount();

    List<Answer> refused = new ArrayList<>();
    for (String path : List.of("/repos/../.." + review, "/repos/acme/." + review, "/repos/./shop" + review,
        "/repos/acme/shop%2F..%2F..%2Fother%2Fsecret" + review, "/repos/acme/shop%2f..%2f..%2fother%2fsecret" + review,
        "/repos/acme/shop%5C..%5C..%5Cother%5Csecret" + review, "/repos/acme%2Fshop/x" + review)) {
      refused.add(deliverWithCallback(webhook, "acme/shop", github.baseUrl() + path));
    }
    // Even when the payload names the same dots as its repository, the token would review what ../.. resolves to.
    refused.add(deliverWithCallback(webhook, "../..", github.baseUrl() + "/repos/../.." + review));

    assertThat(refused).allSatisfy(answer -> {
      assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
      assertThat(answer.body().get("error").asText()).isEqualTo("invalid_webhook");
      assertThat(answer.body().get("field").asText()).isEqualTo("deployment_callback_url");
    });
    runDueJobs();
    assertThat(requestCount()).isEqualTo(before);
    assertThat(github.tokenRequests()).isEmpty();
    assertThat(github.reviews()).isEmpty();
  }

  @Test
  void aCallbackToAnotherRepositoryThanThePayloadsStartsNothingAndNoTokenIsAskedFor() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    long before = requestCount();

    Answer otherOwner = deliverWithCallback(webhook, "acme/shop", github.callbackUrl("other/secret", webhook.runId));
    Answer sameOwner = deliverWithCallback(webhook, "acme/shop", github.callbackUrl("acme/secret", webhook.runId));

    assertThat(List.of(otherOwner, sameOwner)).allSatisfy(answer -> {
      assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
      assertThat(answer.body().get("field").asText()).isEqualTo("deployment_callback_url");
      assertThat(answer.body().get("message").asText()).contains("acme/shop");
    });
    runDueJobs();
    assertThat(requestCount()).isEqualTo(before);
    assertThat(github.tokenRequests()).isEmpty();
    assertThat(github.reviews()).isEmpty();

    // GitHub's names are case-insensitive: the same repository spelled otherwise in the callback is the same.
    Answer sameRepository = deliverWithCallback(webhook, "acme/shop", github.callbackUrl("ACME/Shop", webhook.runId));
    assertThat(sameRepository.status()).as(sameRepository.raw().body()).isEqualTo(201);
    started(sameRepository);
  }

  @Test
  void theSameDeliveryTwiceStartsNothingNewAndOtherEventsAreIgnored() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    Answer first = deliver(webhook);
    started(first);
    Answer again = deliver(webhook);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id").asText()).isEqualTo(first.body().get("id").asText());

    runDueJobs();
    client.postJson("/api/approvals/" + first.body().get("id").asText() + "/decision", ALICE, "{\"decision\": \"approve\"}");
    runDueJobs();
    Answer afterTheEnd = deliver(webhook);
    assertThat(afterTheEnd.status()).isEqualTo(200);
    assertThat(afterTheEnd.body().get("id").asText()).isEqualTo(first.body().get("id").asText());
    assertThat(afterTheEnd.body().get("status").asText()).isEqualTo("APPROVED");
    // The delivery id is not signed: the same signed body under another one is still the same deployment.
    Answer replayed = post(webhook.body, webhook.signature(), "deployment_protection_rule", UUID.randomUUID().toString());
    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.body().get("id").asText()).isEqualTo(first.body().get("id").asText());
    assertThat(github.reviewsOf(webhook.runId)).hasSize(1);

    long before = requestCount();
    String ping = "{\"zen\": \"Keep it logically awesome.\", \"hook_id\": 1}";
    Answer pinged = post(ping, GitHubSignatures.sign(FakeGitHub.WEBHOOK_SECRET, ping.getBytes(StandardCharsets.UTF_8)),
        "ping", UUID.randomUUID().toString());
    assertThat(pinged.status()).isEqualTo(200);
    assertThat(pinged.body().get("ignored").asText()).contains("ping");
    assertThat(requestCount()).isEqualTo(before);
  }

  @Test
  void aGitHubOutageIsRetriedAndTheRuleIsReviewedOnce() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    String id = started(deliver(webhook));
    runDueJobs();
    client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}");

    github.failNext(502);
    Throwable outage = catchThrowable(this::runDueJobs);
    assertThat(outage).hasMessageContaining("call with 502");
    assertThat(approval(id).get("status").asText()).isEqualTo("PENDING");
    assertThat(github.reviewsOf(webhook.runId)).isEmpty();

    passTime(Duration.ofSeconds(11));
    runDueJobs();
    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
    assertThat(github.reviewsOf(webhook.runId)).singleElement()
        .satisfies(review -> assertThat(review.state()).isEqualTo("approved"));
  }

  @Test
  void aReviewGitHubTookWhoseAnswerWasLostIsNotMadeTwice() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    String id = started(deliver(webhook));
    runDueJobs();
    client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}");

    github.loseNextReviewAnswer();
    assertThat(catchThrowable(this::runDueJobs)).hasMessageContaining("GitHub answered the review call with 502");
    passTime(Duration.ofSeconds(11));
    runDueJobs();

    JsonNode approved = approval(id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    // Taken once (its answer lost); the retry was told there is nothing left to review.
    assertThat(github.reviewsOf(webhook.runId)).extracting(FakeGitHub.Review::status).containsExactly(502, 422);
    assertThat(approved.at("/github/call/message").asText()).startsWith("An earlier attempt went through");
  }

  @Test
  void aRunCancelledInGitHubEndsTheRequestWithoutAReview() {
    Webhook webhook = webhook("acme/shop", "production", "octocat");
    String id = started(deliver(webhook));
    runDueJobs();
    github.cancelRun(webhook.runId);

    client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}");
    runDueJobs();

    JsonNode ended = approval(id);
    assertThat(ended.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(ended.get("failure_reason").asText()).contains("GitHub no longer waits for Greenlight");
    assertThat(ended.get("timeline").findValuesAsText("event")).contains("Decided in GitHub");
    assertThat(github.reviewsOf(webhook.runId)).extracting(FakeGitHub.Review::status).containsExactly(422);
  }

  @Test
  void anInstallationGitHubDoesNotKnowIsRetriedAndNeverFailsTheRequest() {
    Webhook webhook = webhook("acme/shop", "production", "octocat", 7_999L);
    String id = started(deliver(webhook));
    runDueJobs();
    client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}");

    Throwable refused = catchThrowable(this::runDueJobs);

    assertThat(refused).hasMessageContaining("GitHub refused the installation_token call (404)")
        .hasMessageContaining("the App is installed on the repository");
    assertThat(approval(id).get("status").asText()).isEqualTo("PENDING");
    assertThat(github.reviewsOf(webhook.runId)).isEmpty();
  }

  @Test
  void aQuorumGathersOnAGitHubGateAndNobodyAnsweringEscalates() {
    Webhook webhook = webhook("acme/payments", "production", "dave");
    String id = started(deliver(webhook));
    runDueJobs();
    assertThat(approval(id).get("required_approvals").asInt()).isEqualTo(2);

    assertThat(client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}").status())
        .isEqualTo(200);
    runDueJobs();
    assertThat(github.reviewsOf(webhook.runId)).isEmpty();
    passTime(Duration.ofMinutes(11));
    runDueJobs();
    assertThat(approval(id).get("escalation_level").asInt()).isGreaterThan(1);

    assertThat(client.postJson("/api/approvals/" + id + "/decision", BOB, "{\"decision\": \"approve\"}").status())
        .isEqualTo(200);
    runDueJobs();
    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
    assertThat(github.reviewsOf(webhook.runId)).singleElement().satisfies(review ->
        assertThat(review.comment()).startsWith("Approved in Greenlight by alice (api), bob (api)"));
  }

  /** A deployment_protection_rule webhook as GitHub sends it, for a new run of {@code repository}. */
  private Webhook webhook(String repository, String environment, String sender) {
    return webhook(repository, environment, sender, FakeGitHub.INSTALLATION_ID);
  }

  private Webhook webhook(String repository, String environment, String sender, long installationId) {
    String runId = String.valueOf(RUNS.incrementAndGet());
    long deploymentId = RUNS.get() + 500_000;
    String sha = (UUID.randomUUID().toString().replace("-", "") + "abcdef12").substring(0, 40);
    String owner = repository.substring(0, repository.indexOf('/'));
    String body = """
        {"action": "requested", "environment": "%s", "event": "push", "sha": "%s", "ref": "refs/heads/main",
         "deployment_callback_url": "%s",
         "deployment": {"id": %d, "sha": "%s", "ref": "main", "environment": "%s", "creator": {"login": "%s"}},
         "pull_requests": [],
         "repository": {"id": 1296269, "name": "%s", "full_name": "%s", "html_url": "https://github.com/%s",
                        "owner": {"login": "%s"}},
         "installation": {"id": %d, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ=="},
         "sender": {"login": "%s", "id": 1, "type": "User"}}
        """.formatted(environment, sha, github.callbackUrl(repository, runId), deploymentId, sha, environment, sender,
        repository.substring(repository.indexOf('/') + 1), repository, repository, owner, installationId, sender);
    return new Webhook(body, runId, deploymentId, sha, UUID.randomUUID().toString());
  }

  private record Webhook(String body, String runId, long deploymentId, String sha, String delivery) {
    String signature() {
      return GitHubSignatures.sign(FakeGitHub.WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private Answer deliver(Webhook webhook) {
    return post(webhook.body, webhook.signature(), "deployment_protection_rule", webhook.delivery);
  }

  /** The webhook, signed, naming {@code repository} as its repository.full_name and {@code callbackUrl} as its callback. */
  private Answer deliverWithCallback(Webhook webhook, String repository, String callbackUrl) {
    String body = webhook.body.replace(github.callbackUrl("acme/shop", webhook.runId), callbackUrl)
        .replace("\"full_name\": \"acme/shop\"", "\"full_name\": \"" + repository + "\"");
    return post(body, GitHubSignatures.sign(FakeGitHub.WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)),
        "deployment_protection_rule", UUID.randomUUID().toString());
  }

  private Answer post(String body, String signature, String event, String delivery) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/github/webhook"))
        .header("Content-Type", "application/json")
        .header("User-Agent", "GitHub-Hookshot/044aadd")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return client.send(request.build());
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
  }

  /** Requests ever started, pending or ended. */
  private long requestCount() {
    return history.createHistoricProcessInstanceQuery().count();
  }

  private static void passTime(Duration duration) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis()));
  }
}
