package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The CI side and the approver side of the REST API, over HTTP. */
class ApprovalApiTest extends GreenlightApplicationTest {

  private static final String ALICE = basic("alice", "alice-password");

  /**
   * Finding 8: the SMS code answers a request from an approver's phone, so it is shown only to those who may answer with
   * it, to admins and to the pipeline that asked; an intern in the directory reads the request without it.
   */
  @Test
  void theSmsCodeIsShownOnlyToCandidatesAdminsAndThePipelineThatAsked() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "approver_group": "alice"}""".formatted(workflowId));
    String id = created.body().get("id").asText();
    String code = created.body().get("code").asText();
    runDueJobs();

    assertThat(client.get("/api/approvals/" + id, basic("alice", "alice-password")).body().path("code").asText()).isEqualTo(code);
    assertThat(client.get("/api/approvals/" + id, basic("admin", "test-admin-password")).body().path("code").asText()).isEqualTo(code);
    assertThat(client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().path("code").asText()).isEqualTo(code);
    JsonNode asAnIntern = client.get("/api/approvals/" + id, basic("dave", "dave-password")).body();
    assertThat(asAnIntern.get("id").asText()).isEqualTo(id);
    assertThat(asAnIntern.has("code")).isFalse();
    assertThat(client.get("/api/approvals/" + id + "/audit", basic("dave", "dave-password")).body().has("code")).isFalse();
    assertThat(client.get("/api/approvals/" + id + "/audit", basic("alice", "alice-password")).body().path("code").asText())
        .isEqualTo(code);
    JsonNode listed = client.get("/api/approvals?project_slug=gh/acme/shop&limit=100", basic("dave", "dave-password")).body();
    assertThat(listed.findValues("code")).isEmpty();
    assertThat(client.get("/api/approvals?project_slug=gh/acme/shop&limit=100", basic("alice", "alice-password")).body()
        .findValuesAsText("code")).contains(code);
  }

  @Test
  void aPipelineRequestsApprovalAndAnApproverApprovesThroughTheApi() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");

    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold"));

    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(created.header("Location")).isEqualTo("/api/approvals/" + id);
    assertThat(created.body().get("status").asText()).isEqualTo("PENDING");
    assertThat(created.body().get("project_slug").asText()).isEqualTo("gh/acme/shop");
    assertThat(created.body().get("code").asText()).matches("\\d{4}");

    runDueJobs();
    JsonNode pending = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(pending.get("approval_request_id").asText()).isEqualTo(approvalRequestId);
    assertThat(pending.get("approver_group").asText()).isEqualTo("approvers");
    assertThat(pending.get("required_approvals").asInt()).isEqualTo(1);
    assertThat(pending.get("expires_at").asText()).isNotBlank();
    // everyone in the group without a rotation, except the requester
    assertThat(pending.get("notified").findValuesAsText("user")).containsOnly("alice", "bob");
    assertThat(pending.get("escalation_level").asInt()).isEqualTo(1);
    assertThat(pending.get("links").get("tasklist").asText()).startsWith(PUBLIC_URL + "/camunda/app/tasklist/default/#/?task=");

    Answer decided = client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\", \"comment\": \"Go\"}");
    assertThat(decided.status()).isEqualTo(200);
    runDueJobs();

    JsonNode approved = client.get("/api/approvals/" + id, ALICE).body();
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions").get(0).get("user").asText()).isEqualTo("alice");
    assertThat(approved.get("decisions").get(0).get("channel").asText()).isEqualTo("api");
    assertThat(approved.get("decisions").get(0).get("comment").asText()).isEqualTo("Go");
    assertThat(approved.get("circleci").get("action").asText()).isEqualTo("approve");
    assertThat(approved.get("circleci").get("status_code").asInt()).isEqualTo(202);
    assertThat(approved.get("circleci").get("token_owner").asText()).isEqualTo("service");
    assertThat(approved.get("timeline").findValuesAsText("event")).containsSubsequence("Requested", "Gate found", "Routed",
        "Asked", "Answered", "CircleCI call", "Outcome");
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/approve/" + approvalRequestId))
        .singleElement().satisfies(call -> assertThat(call.circleToken()).isEqualTo(io.greenlight.testing.FakeCircleCi.TOKEN));
  }

  @Test
  void theBuildLinkApproversSeeIsCircleCisNeverAnotherSite() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String circleCiLink = "https://app.circleci.com/pipelines/github/acme/shop/7/workflows/" + workflowId;

    JsonNode phishing = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold")
        .replace(REQUEST_BUILD_URL, "https://evil.example/circleci.com/login")).body();
    runDueJobs();
    String otherWorkflow = UUID.randomUUID().toString();
    circleCi.workflowOnHold(otherWorkflow, "hold");
    JsonNode genuine = client.postJson("/api/approvals", bearer(ACME_KEY), request(otherWorkflow, "hold")
        .replace(REQUEST_BUILD_URL, circleCiLink.replace(workflowId, otherWorkflow))).body();

    String workflowPage = "https://app.circleci.com/pipelines/workflows/" + workflowId;
    assertThat(phishing.get("links").get("build").asText()).isEqualTo(workflowPage);
    JsonNode pending = client.get("/api/approvals/" + phishing.get("id").asText(), ALICE).body();
    assertThat(pending.get("links").get("build").asText()).isEqualTo(workflowPage);
    assertThat(pending.get("timeline").findValuesAsText("detail"))
        .contains("the pipeline said build_url 'https://evil.example/circleci.com/login', CircleCI says '" + workflowPage + "'");
    assertThat(genuine.get("links").get("build").asText()).isEqualTo(circleCiLink.replace(workflowId, otherWorkflow));
    for (String bad : List.of("http://app.circleci.com/x", "https://app.circleci.com.evil.example/x",
        "https://user@app.circleci.com/x", "https://app.circleci.com:8443/x")) {
      String workflow = UUID.randomUUID().toString();
      JsonNode answer = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflow, "hold")
          .replace(REQUEST_BUILD_URL, bad)).body();
      assertThat(answer.get("links").get("build").asText()).as(bad).isEqualTo("https://app.circleci.com/pipelines/workflows/" + workflow);
    }
  }

  @Test
  void aPipelineNamingSomeoneElseAsTheRequesterDoesNotLetTheRealOneApprove() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold"); // CircleCI: octocat triggered the pipeline
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold").replace("\"octocat\"", "\"alice\""))
        .body().get("id").asText();
    runDueJobs();

    JsonNode pending = client.get("/api/approvals/" + id, ALICE).body();
    assertThat(pending.get("requested_by").asText()).isEqualTo("octocat");
    assertThat(pending.get("timeline").findValuesAsText("detail"))
        .contains("the pipeline said requested_by 'alice', CircleCI says 'octocat'");
    assertError(client.postJson("/api/approvals/" + id + "/decision", basic("octocat", "octocat-password"), "{\"decision\": \"approve\"}"),
        403, "own_deployment", null);
    assertThat(client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}").status()).isEqualTo(200);
  }

  @Test
  void theSameGateAskedAgainGetsTheSameRequest() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");

    Answer first = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold"));
    Answer again = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold"));
    runDueJobs();
    Answer unnamed = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, null));

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(unnamed.status()).isEqualTo(200);
    assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));
    assertThat(unnamed.body().get("id")).isEqualTo(first.body().get("id"));
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
  }

  @Test
  void anotherGateOfTheSameWorkflowIsAnotherRequest() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold-staging");
    circleCi.addJob(workflowId, "hold-production", "approval", "on_hold");

    Answer staging = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold-staging"));
    Answer production = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold-production"));

    assertThat(staging.status()).isEqualTo(201);
    assertThat(production.status()).isEqualTo(201);
    assertThat(production.body().get("id")).isNotEqualTo(staging.body().get("id"));
  }

  @Test
  void aPipelineNeedsAKnownKey() {
    String body = request(UUID.randomUUID().toString(), "hold");

    Answer none = client.postJson("/api/approvals", null, body);
    Answer wrong = client.postJson("/api/approvals", bearer("not-a-key-of-anybody"), body);
    Answer person = client.postJson("/api/approvals", ALICE, body);

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().get("error").asText()).isEqualTo("unauthorized");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body().get("error").asText()).isEqualTo("invalid_api_key");
    assertThat(person.status()).isEqualTo(403);
    assertThat(person.body().get("error").asText()).isEqualTo("forbidden");
  }

  @Test
  void aKeyMayOnlyAskForItsOwnProjects() {
    Answer answer = client.postJson("/api/approvals", bearer(OTHER_KEY), request(UUID.randomUUID().toString(), "hold"));

    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.body().get("error").asText()).isEqualTo("project_not_allowed");
    assertThat(answer.body().get("field").asText()).isEqualTo("project_slug");
  }

  @Test
  void aKeySeesOnlyTheRequestsOfItsProjects() {
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), request(UUID.randomUUID().toString(), "hold"))
        .body().get("id").asText();

    assertThat(client.get("/api/approvals/" + id, bearer(OTHER_KEY)).status()).isEqualTo(404);
    assertThat(client.get("/api/approvals?project_slug=gh/other/app", bearer(OTHER_KEY)).body().findValuesAsText("id")).doesNotContain(id);
    assertThat(client.get("/api/approvals?project_slug=gh/acme/shop", bearer(OTHER_KEY)).status()).isEqualTo(403);
    assertThat(client.get("/api/approvals?status=PENDING&project_slug=gh/acme/shop", bearer(ACME_KEY)).body().findValuesAsText("id")).contains(id);
  }

  @Test
  void aKeysListIsFilledWithItsOwnRequests() {
    String other = client.postJson("/api/approvals", bearer(OTHER_KEY), """
        {"project_slug": "gh/other/app", "workflow_id": "%s"}""".formatted(UUID.randomUUID())).body().get("id").asText();
    for (int i = 0; i < 3; i++) {
      client.postJson("/api/approvals", bearer(ACME_KEY), request(UUID.randomUUID().toString(), "hold"));
    }

    JsonNode list = client.get("/api/approvals?limit=1", bearer(OTHER_KEY)).body();

    assertThat(list.findValuesAsText("id")).containsExactly(other);
  }

  @Test
  void theSameGateSpelledWithOtherCaseIsTheSameRequest() {
    String workflowId = UUID.randomUUID().toString();
    String first = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold")).body().get("id").asText();

    Answer again = client.postJson("/api/approvals", bearer(ACME_KEY),
        request(workflowId.toUpperCase(), "hold").replace("gh/acme/shop", "gh/ACME/Shop"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("id").asText()).isEqualTo(first);
  }

  @Test
  void anUnknownApiPathAnswersInTheErrorShape() {
    assertError(client.get("/api/nothing-here", ALICE), 404, "not_found", null);
  }

  @Test
  void badInputGetsAClearErrorAndStartsNothing() {
    long before = pendingCount();

    assertError(client.postJson("/api/approvals", bearer(ACME_KEY), "{\"workflow_id\": \"" + UUID.randomUUID() + "\"}"),
        400, "missing_field", "project_slug");
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY), "{\"project_slug\": \"gh/acme/shop\", \"workflow_id\": \"42\"}"),
        400, "invalid_field", "workflow_id");
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY), "{\"project_slug\": \"gh/acme/shop\", \"workflow_id\": "),
        400, "malformed_json", null);
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY), "[1, 2]"), 400, "malformed_json", null);
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY),
        "{\"project_slug\": {\"a\": 1}, \"workflow_id\": \"" + UUID.randomUUID() + "\"}"), 400, "invalid_field", "project_slug");
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY),
        "{\"project_slug\": \"gh/acme/shop<script>\", \"workflow_id\": \"" + UUID.randomUUID() + "\"}"), 400, "invalid_field", "project_slug");
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY),
        "{\"project_slug\": \"gh/acme/shop\", \"workflow_id\": \"" + UUID.randomUUID() + "\", \"approver_group\": \"ops\\u0007\"}"),
        400, "invalid_field", "approver_group");
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY),
        "{\"project_slug\": \"gh/acme/shop\", \"workflow_id\": \"" + UUID.randomUUID() + "\", \"summary\": \"" + "x".repeat(70_000) + "\"}"),
        413, "payload_too_large", null);
    assertError(client.get("/api/approvals/no-such-request", bearer(ACME_KEY)), 400, "invalid_parameter", "id");
    assertError(client.get("/api/approvals/" + UUID.randomUUID(), bearer(ACME_KEY)), 404, "not_found", null);
    assertError(client.get("/api/approvals?project_slug=gh/acme/shop'%20or%201=1", bearer(ACME_KEY)), 400, "invalid_parameter", "project_slug");
    assertError(client.postJson("/api/approvals", bearer(ACME_KEY),
        "{\"project_slug\": \"gh/acme/shop\", \"workflow_id\": \"" + UUID.randomUUID() + "\", \"branch\": \"main\\u202Eevil\"}"),
        400, "invalid_field", "branch");
    assertError(client.get("/api/approvals?status=SOMETIMES", bearer(ACME_KEY)), 400, "invalid_parameter", "status");
    assertError(client.get("/api/approvals?limit=100000", bearer(ACME_KEY)), 400, "invalid_parameter", "limit");

    assertThat(pendingCount()).isEqualTo(before);
  }

  @Test
  void decisionsFollowTheRules() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold")).body().get("id").asText();
    String decision = "/api/approvals/" + id + "/decision";

    // nothing moves the request on here (the job executor is off): after waiting for it, the answer is refused
    Answer tooEarly = client.postJson(decision, ALICE, "{\"decision\": \"approve\"}");
    assertError(tooEarly, 409, "not_ready", null);
    assertThat(tooEarly.body().get("message").asText()).contains("looking up the gate");
    runDueJobs();

    assertError(client.postJson(decision, null, "{\"decision\": \"approve\"}"), 401, "unauthorized", null);
    // (a wrong password locks the user out for a few seconds: Camunda's brute-force protection)
    assertError(client.postJson(decision, basic("erin", "wrong"), "{\"decision\": \"approve\"}"), 401, "unauthorized", null);
    assertError(client.postJson(decision, bearer(ACME_KEY), "{\"decision\": \"approve\"}"), 403, "forbidden", null);
    assertError(client.postJson(decision, basic("dave", "dave-password"), "{\"decision\": \"approve\"}"), 403, "not_an_approver", null);
    assertError(client.postJson(decision, basic("octocat", "octocat-password"), "{\"decision\": \"approve\"}"), 403, "own_deployment", null);
    assertError(client.postJson(decision, ALICE, "{\"decision\": \"reject\"}"), 400, "comment_required", "comment");
    assertError(client.postJson(decision, ALICE, "{\"decision\": \"maybe\"}"), 400, "invalid_decision", "decision");
    assertError(client.postJson(decision, ALICE, "{}"), 400, "missing_field", "decision");
    assertThat(client.get("/api/approvals/" + id, ALICE).body().get("decisions")).isEmpty();

    assertThat(client.postJson(decision, basic("octocat", "octocat-password"), "{\"decision\": \"reject\", \"comment\": \"Wrong branch\"}").status())
        .isEqualTo(200);
    assertError(client.postJson(decision, ALICE, "{\"decision\": \"approve\"}"), 409, "already_decided", null);
    runDueJobs();

    JsonNode rejected = client.get("/api/approvals/" + id, ALICE).body();
    assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
    assertThat(rejected.get("circleci").get("action").asText()).isEqualTo("cancel");
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/cancel")).hasSize(1);
    assertThat(client.postJson(decision, ALICE, "{\"decision\": \"approve\"}").body().get("message").asText())
        .contains("rejected").contains("octocat");
  }

  @Test
  void aGateThatCannotBeFoundFailsTheRequestWithTheReason() {
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), request(UUID.randomUUID().toString(), "hold"))
        .body().get("id").asText();

    runDueJobs();

    JsonNode failed = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("failure_reason").asText()).contains("has no jobs");
    assertThat(client.get("/api/approvals?status=FAILED", ALICE).body().findValuesAsText("id")).contains(id);
  }

  @Test
  void aRequestNobodyCouldApproveIsRefusedWithWhatIsWrongAndStartsNothing() {
    long before = pendingCount();

    Answer unknownGroup = client.postJson("/api/approvals", bearer(ACME_KEY), requestFor("nobody-team", "octocat"));
    Answer oneUnknownInAList = client.postJson("/api/approvals", bearer(ACME_KEY), requestFor("release-managers, alice ghost", "octocat"));
    Answer onlyTheRequester = client.postJson("/api/approvals", bearer(ACME_KEY), requestFor("octocat", "octocat"));

    assertError(unknownGroup, 422, "unknown_approvers", "approver_group");
    assertThat(unknownGroup.body().get("message").asText()).isEqualTo("The directory has no group or user named 'nobody-team'.");
    assertError(oneUnknownInAList, 422, "unknown_approvers", "approver_group");
    assertThat(oneUnknownInAList.body().get("message").asText()).isEqualTo("The directory has no group or user named 'ghost'.");
    assertError(onlyTheRequester, 422, "no_approvers", "approver_group");
    assertThat(onlyTheRequester.body().get("message").asText()).contains("the requester is the only one in octocat");
    assertThat(pendingCount()).isEqualTo(before);
  }

  @Test
  void approverGroupNamesSeveralGroupsAndUsersWhoAreAllAskedAtOnce() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");

    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "requested_by": "octocat", "approver_group": "night-shift dora"}
        """.formatted(workflowId));
    runDueJobs();

    assertThat(created.status()).isEqualTo(201);
    JsonNode pending = client.get("/api/approvals/" + created.body().get("id").asText(), ALICE).body();
    assertThat(pending.get("approver_group").asText()).isEqualTo("night-shift,dora");
    assertThat(pending.get("escalation_level").asInt()).isEqualTo(1);
    assertThat(pending.get("notified").findValuesAsText("user")).contains("frank", "dora").doesNotContain("bob");
  }

  @Test
  void stageSaysWhatARequestIsDoingThroughItsLife() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold"));
    String id = created.body().get("id").asText();

    assertThat(created.body().get("stage").asText()).isEqualTo("finding_gate");
    assertThat(stageOf(id)).isEqualTo("finding_gate");
    executeJobAt(id, "FindGate");
    assertThat(stageOf(id)).isEqualTo("asking");
    executeJobAt(id, "Route");
    assertThat(stageOf(id)).isEqualTo("waiting");
    assertThat(client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}").status()).isEqualTo(200);
    assertThat(stageOf(id)).isEqualTo("carrying_out");
    runDueJobs();
    assertThat(stageOf(id)).isEqualTo("ended");
    assertThat(client.get("/api/approvals?limit=100", ALICE).body().findParents("id").stream()
        .filter(approval -> approval.get("id").asText().equals(id)).findFirst().orElseThrow().get("stage").asText())
        .isEqualTo("ended");
  }

  @Test
  void anAnswerArrivingWhileTheRequestIsSetUpWaitsForItAndIsTaken() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), request(workflowId, "hold")).body().get("id").asText();

    CompletableFuture<Answer> early = CompletableFuture.supplyAsync(() ->
        client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\", \"comment\": \"early\"}"));
    Thread.sleep(500);
    assertThat(early).isNotDone();
    executeJobAt(id, "FindGate");
    executeJobAt(id, "Route"); // the gate is found, the approvers routed: the answer is taken

    Answer answered = early.get(15, TimeUnit.SECONDS);
    assertThat(answered.status()).as(answered.raw().body()).isEqualTo(200);
    runDueJobs();
    assertThat(client.get("/api/approvals/" + id, ALICE).body().get("status").asText()).isEqualTo("APPROVED");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
  }

  private String stageOf(String id) {
    return client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().get("stage").asText();
  }

  private void executeJobAt(String id, String activityId) {
    management.executeJob(management.createJobQuery().processInstanceId(id).activityId(activityId).singleResult().getId());
  }

  private static String requestFor(String approverGroup, String requestedBy) {
    return """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "requested_by": "%s", "approver_group": "%s"}
        """.formatted(UUID.randomUUID(), requestedBy, approverGroup);
  }

  private long pendingCount() {
    return client.get("/api/approvals?status=PENDING&limit=100", ALICE).body().size();
  }

  private static void assertError(Answer answer, int status, String error, String field) {
    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
    assertThat(answer.body().get("error").asText()).isEqualTo(error);
    assertThat(answer.body().get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at io.");
    if (field != null) {
      assertThat(answer.body().get("field").asText()).isEqualTo(field);
    }
  }

  private static final String REQUEST_BUILD_URL = "https://app.circleci.com/pipelines/github/acme/shop/7";

  private static String request(String workflowId, String approvalJob) {
    return """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", %s "requested_by": "octocat", "branch": "main",
         "commit": "abc1234def", "build_url": "https://app.circleci.com/pipelines/github/acme/shop/7", "summary": "Release 2.4"}
        """.formatted(workflowId, approvalJob == null ? "" : "\"approval_job\": \"" + approvalJob + "\",");
  }
}
