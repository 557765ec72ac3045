package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An approver in Camunda Tasklist (through the same HTTP calls the Tasklist page makes), the engine REST
 * API Camunda Modeler deploys to, and the admin-only directory reload.
 */
class TasklistAndEngineRestTest extends GreenlightApplicationTest {

  private static final String TASKLIST_API = "/camunda/api/engine/engine/default";

  @Test
  void anApproverApprovesWithTheTasklistFormAndCircleCiIsTold() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String id = askForApproval(workflowId);
    runDueJobs();

    client.webappLogin("tasklist", "alice", "alice-password");

    JsonNode tasks = client.get(TASKLIST_API + "/task?processInstanceId=" + id, null).body();
    assertThat(tasks).hasSize(1);
    String taskId = tasks.get(0).get("id").asText();
    assertThat(tasks.get(0).get("name").asText()).isEqualTo("Decide on deployment");

    JsonNode form = client.get(TASKLIST_API + "/task/" + taskId + "/deployed-form", null).body();
    assertThat(form.get("id").asText()).isEqualTo("approve-deployment");
    JsonNode details = client.get(TASKLIST_API + "/task/" + taskId + "/form-variables", null).body();
    assertThat(details.get("projectSlug").get("value").asText()).isEqualTo("gh/acme/shop");
    assertThat(details.get("requestedBy").get("value").asText()).isEqualTo("octocat");

    Answer submitted = client.send(client.request(TASKLIST_API + "/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", client.currentXsrfToken())
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"variables\": {\"decision\": {\"value\": \"approve\"}, \"comment\": {\"value\": \"LGTM\"},"
                + " \"projectSlug\": {\"value\": \"gh/acme/shop\"}, \"requestedBy\": {\"value\": \"octocat\"},"
                + " \"summary\": {\"value\": \"\"}}}")).build());
    assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(204);
    runDueJobs();

    JsonNode approved = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions").get(0).get("user").asText()).isEqualTo("alice");
    assertThat(approved.get("decisions").get(0).get("channel").asText()).isEqualTo("tasklist");
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
  }

  @Test
  void theRequesterCannotApproveInTasklistEither() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = askForApproval(workflowId);
    runDueJobs();

    GreenlightTestClient octocat = new GreenlightTestClient(port);
    octocat.webappLogin("tasklist", "octocat", "octocat-password");
    String taskId = octocat.get(TASKLIST_API + "/task?processInstanceId=" + id, null).body().get(0).get("id").asText();

    Answer submitted = octocat.send(octocat.request(TASKLIST_API + "/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", octocat.currentXsrfToken())
        .POST(HttpRequest.BodyPublishers.ofString("{\"variables\": {\"decision\": {\"value\": \"approve\"}}}")).build());

    assertThat(submitted.status()).isGreaterThanOrEqualTo(400);
    assertThat(submitted.raw().body()).contains("Nobody may approve their own deployment");
    runDueJobs();
    JsonNode pending = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("decisions")).isEmpty();
  }

  @Test
  void aDecisionCannotRewriteTheRequest() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String id = askForApproval(workflowId);
    runDueJobs();
    String octocat = basic("octocat", "octocat-password");
    String taskId = client.get("/engine-rest/task?processInstanceId=" + id, octocat).body().get(0).get("id").asText();

    Answer forgedComplete = client.postJson("/engine-rest/task/" + taskId + "/complete", octocat,
        "{\"variables\": {\"decision\": {\"value\": \"approve\"}, \"requestedBy\": {\"value\": \"someone-else\"}}}");
    Answer forgedGate = client.send(client.request("/engine-rest/task/" + taskId + "/variables/workflowId", octocat)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": \"" + UUID.randomUUID() + "\"}")).build());
    client.webappLogin("tasklist", "alice", "alice-password");
    Answer forgedForm = client.send(client.request(TASKLIST_API + "/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", client.currentXsrfToken())
        .POST(HttpRequest.BodyPublishers.ofString("{\"variables\": {\"decision\": {\"value\": \"approve\"},"
            + " \"approverGroup\": {\"value\": \"developers\"}}}")).build());

    assertThat(forgedComplete.status()).isGreaterThanOrEqualTo(400);
    assertThat(forgedComplete.raw().body()).contains("not 'requestedBy'");
    assertThat(forgedGate.status()).isGreaterThanOrEqualTo(400);
    assertThat(forgedForm.status()).isGreaterThanOrEqualTo(400);
    runDueJobs();
    JsonNode pending = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("requested_by").asText()).isEqualTo("octocat");
    assertThat(pending.get("workflow_id").asText()).isEqualTo(workflowId);
    assertThat(pending.get("approver_group").asText()).isEqualTo("approvers");
    assertThat(pending.get("decisions")).isEmpty();
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).isEmpty();
  }

  @Test
  void aCandidateCannotEndTheTaskAnyOtherWayThanByAnswering() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String id = askForApproval(workflowId);
    runDueJobs();
    String octocat = basic("octocat", "octocat-password"); // the requester, and a member of the approver group
    String taskId = client.get("/engine-rest/task?processInstanceId=" + id, octocat).body().get(0).get("id").asText();
    String forged = "{\"errorCode\": \"CIRCLECI_REFUSED\", \"escalationCode\": \"X\", \"variables\": {"
        + "\"decision\": {\"value\": \"approve\"}, \"decisions\": {\"value\": \"[{\\\"user\\\": \\\"bob\\\", \\\"decision\\\": \\\"approve\\\"}]\"}}}";
    String admin = basic("admin", "test-admin-password");
    String comment = client.postJson("/engine-rest/task/" + taskId + "/comment/create", admin,
        "{\"message\": \"Checked the changelog\"}").body().get("id").asText();

    Answer bpmnError = client.postJson("/engine-rest/task/" + taskId + "/bpmnError", octocat, forged);
    Answer escalation = client.postJson("/engine-rest/task/" + taskId + "/bpmnEscalation", octocat, forged);
    Answer resolve = client.postJson("/engine-rest/task/" + taskId + "/resolve", octocat, "{\"variables\": {\"decision\": {\"value\": \"approve\"}}}");
    Answer deleteComment = client.send(client.request("/engine-rest/task/" + taskId + "/comment/" + comment, octocat).DELETE().build());

    assertThat(List.of(bpmnError.status(), escalation.status())).containsOnly(403);
    assertThat(List.of(resolve.status(), deleteComment.status())).allSatisfy(status -> assertThat(status).isBetween(400, 499));
    assertThat(bpmnError.raw().body()).contains("only an admin may");
    runDueJobs();
    JsonNode pending = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("decisions")).isEmpty();
    assertThat(client.get("/engine-rest/task/" + taskId + "/comment", admin).body()).hasSize(1);
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).isEmpty();
  }

  @Test
  void aCandidateClaimsForThemselvesAndGivesUpOnlyTheirOwnClaim() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = askForApproval(workflowId);
    runDueJobs();
    String alice = basic("alice", "alice-password");
    String bob = basic("bob", "bob-password");
    String taskId = client.get("/engine-rest/task?processInstanceId=" + id, alice).body().get(0).get("id").asText();
    String claim = "/engine-rest/task/" + taskId + "/claim";

    assertThat(client.postJson(claim, alice, "{\"userId\": \"bob\"}").status()).isEqualTo(403);
    assertThat(client.postJson(claim, alice, "{\"userId\": \"alice\"}").status()).isEqualTo(204);
    // Releasing is a claim for nobody (unclaim proper is an assignment, which candidates may not make at all).
    assertThat(client.postJson(claim, bob, "{\"userId\": null}").status()).isEqualTo(403);
    assertThat(client.postJson("/engine-rest/task/" + taskId + "/unclaim", bob, "").status()).isEqualTo(403);
    assertThat(client.postJson(claim, alice, "{\"userId\": null}").status()).isEqualTo(204);
    assertThat(client.send(client.request("/engine-rest/task/" + taskId + "/comment", alice).header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\": \"x\", \"message\": \"rewritten\"}")).build()).status())
        .isBetween(400, 499);
  }

  @Test
  void webappsNeedALoginAndHaveNoDefaultPassword() {
    String xsrf = client.webappXsrfToken();

    assertThat(client.get(TASKLIST_API + "/task", null).status()).isEqualTo(401);
    assertThat(client.postForm("/camunda/api/admin/auth/user/default/login/tasklist", "username=admin&password=admin", xsrf).status())
        .isEqualTo(401);
    assertThat(client.postForm("/camunda/api/admin/auth/user/default/login/cockpit", "username=admin&password=test-admin-password", xsrf).status())
        .isEqualTo(200);
  }

  @Test
  void theEngineRestApiTakesDirectoryUsersOverHttpBasic() {
    assertThat(client.get("/engine-rest/process-definition/count", null).status()).isEqualTo(401);
    assertThat(client.get("/engine-rest/process-definition/count", basic("admin", "wrong-password")).status()).isEqualTo(401);

    Answer definitions = client.get("/engine-rest/process-definition?key=deployment-approval", basic("admin", "test-admin-password"));

    assertThat(definitions.status()).isEqualTo(200);
    assertThat(definitions.body().get(0).get("key").asText()).isEqualTo("deployment-approval");
  }

  @Test
  void onlyAnAdminReloadsTheDirectory() {
    assertThat(client.postJson("/api/admin/directory/reload", basic("bob", "bob-password"), "").status()).isEqualTo(403);
    // A mistyped password changes the user in Camunda; a reload right after must still work.
    assertThat(client.get("/api/oncall/duty", basic("erin", "mistyped")).status()).isEqualTo(401);

    Answer reloaded = client.postJson("/api/admin/directory/reload", basic("admin", "test-admin-password"), "");

    assertThat(reloaded.status()).isEqualTo(200);
    assertThat(reloaded.body().get("users").asInt()).isEqualTo(12);
    assertThat(reloaded.body().get("api_clients").asInt()).isEqualTo(3);
  }

  @Test
  void healthIsOpenAndOtherActuatorEndpointsAreNot() {
    assertThat(client.get("/actuator/health", null).body().get("status").asText()).isEqualTo("UP");
    assertThat(client.get("/actuator/env", null).status()).isIn(401, 403, 404);
  }
}
