package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A process owner adds a rule across groups as Camunda Modeler does: the routing table's XML as Modeler saves it, with
 * one row in additional-approvals, deployed to the engine REST API. The next request asks both groups, says where each
 * rule stands, and tells approvers what is still missing.
 */
class RulesAcrossGroupsApiTest extends GreenlightApplicationTest {

  @Autowired
  RepositoryService repository;

  @Autowired
  org.camunda.bpm.engine.RuntimeService runtime;

  private String deployment;

  @AfterEach
  void restoreTheRoutingTable() {
    if (deployment != null) {
      repository.deleteDeployment(deployment, true);
    }
  }

  @Test
  void aRowDeployedThroughTheEngineRestApiAddsARuleToTheNextRequest() throws Exception {
    deployTableWithRow("""
          <rule id="RuleShopProductionNeedsReleaseManagers">
            <description>Production deploys of the shop: a release manager too.</description>
            <inputEntry id="RuleShopProductionProject"><text>"gh/acme/shop"</text></inputEntry>
            <inputEntry id="RuleShopProductionBranch"><text>"main"</text></inputEntry>
            <inputEntry id="RuleShopProductionEnvironment"><text>"deploy-production"</text></inputEntry>
            <outputEntry id="RuleShopProductionGroup"><text>"release-managers"</text></outputEntry>
            <outputEntry id="RuleShopProductionApprovals"><text>1</text></outputEntry>
          </rule>
        """);

    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "deploy-production");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "deploy-production",
         "requested_by": "octocat", "branch": "main", "commit": "abc1234def", "approver_group": "alice"}""".formatted(workflowId)).body();
    String id = created.get("id").asText();
    runDueJobs();

    JsonNode pending = client.get("/api/approvals/" + id, basic("alice", "alice-password")).body();
    assertThat(pending.get("rules").toString()).isEqualTo("""
        [{"group":"alice","required":1,"approved_by":[]},{"group":"release-managers","required":1,"approved_by":[]}]""");
    assertThat(pending.get("required_approvals").asInt()).isEqualTo(1);
    assertThat(pending.get("changes").isNull()).isTrue();

    // alice answers by SMS: her reply says what is still missing.
    assertThat(smsReply("+15551230001", "APPROVE " + created.get("code").asText()))
        .contains("Still needed: 1 from release-managers.");
    JsonNode afterAlice = client.get("/api/approvals/" + id, basic("alice", "alice-password")).body();
    assertThat(afterAlice.get("status").asText()).isEqualTo("PENDING");
    assertThat(afterAlice.at("/rules/0/approved_by").toString()).isEqualTo("[\"alice\"]");

    Answer bob = client.postJson("/api/approvals/" + id + "/decision", basic("bob", "bob-password"), "{\"decision\": \"approve\"}");
    assertThat(bob.status()).isEqualTo(200);
    runDueJobs();
    JsonNode approved = client.get("/api/approvals/" + id, basic("alice", "alice-password")).body();
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.at("/rules/1/approved_by").toString()).isEqualTo("[\"bob\"]");
    String timeline = approved.get("timeline").toString();
    assertThat(timeline).contains("and 1 from release-managers (Additional approvals, row 1 (RuleShopProductionNeedsReleaseManagers) matched: Production deploys of the shop: a release manager too.)");
    assertThat(timeline).contains("approve (counted for release-managers)");
  }

  /** An escalation escalates the rules of the person asking for it, each rule's asking being its own. */
  @Test
  void anEscalationEscalatesOnlyTheRulesOfWhoAsksForIt() throws Exception {
    deployTableWithRow("""
          <rule id="RuleShopNeedsReleaseManagers">
            <inputEntry id="RuleShopNeedsReleaseManagersProject"><text>"gh/acme/shop"</text></inputEntry>
            <inputEntry id="RuleShopNeedsReleaseManagersBranch"><text></text></inputEntry>
            <inputEntry id="RuleShopNeedsReleaseManagersEnvironment"><text></text></inputEntry>
            <outputEntry id="RuleShopNeedsReleaseManagersGroup"><text>"release-managers"</text></outputEntry>
            <outputEntry id="RuleShopNeedsReleaseManagersApprovals"><text>1</text></outputEntry>
          </rule>
        """);
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold",
         "requested_by": "octocat", "branch": "main", "commit": "abc1234def", "approver_group": "approvers"}""".formatted(workflowId))
        .body().get("id").asText();
    runDueJobs();
    assertThat(escalationLevels(id)).containsExactly(1, 1);

    // alice is an approver, not a release manager: the approvers' rule asks its next level, the release managers' waits.
    assertThat(client.postJson("/api/approvals/" + id + "/decision", basic("alice", "alice-password"),
        "{\"decision\": \"escalate\"}").status()).isEqualTo(200);
    runDueJobs();
    assertThat(escalationLevels(id).get(1)).isEqualTo(1);
    assertThat(escalationLevels(id).get(0)).isGreaterThan(1);
  }

  private List<Integer> escalationLevels(String id) {
    return io.greenlight.approval.JsonVariables.list(runtime.getVariableTyped(id, "rules", false),
        io.greenlight.approval.ApprovalRule.class).stream().map(io.greenlight.approval.ApprovalRule::escalationLevel).toList();
  }

  @Test
  void aRequestNoRowMatchesHasOnlyItsMainRule() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold",
         "requested_by": "octocat", "branch": "main", "commit": "abc1234def", "approver_group": "alice"}""".formatted(workflowId)).body();
    runDueJobs();
    JsonNode pending = client.get("/api/approvals/" + created.get("id").asText(), basic("alice", "alice-password")).body();
    assertThat(pending.get("rules").toString()).isEqualTo("[{\"group\":\"alice\",\"required\":1,\"approved_by\":[]}]");
  }

  /** The shipped table, a row added to additional-approvals, deployed to /engine-rest as Camunda Modeler deploys. */
  private void deployTableWithRow(String row) throws Exception {
    String table = Files.readString(Path.of("bpmn", "approver-routing.dmn"));
    int additional = table.indexOf("<decisionTable id=\"AdditionalApprovalsTable\"");
    int end = table.indexOf("</decisionTable>", additional);
    String edited = table.substring(0, end) + row + table.substring(end);
    String boundary = "greenlight-" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nsecurity-rule\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deploy-changed-only\"\r\n\r\ntrue\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"approver-routing.dmn\"\r\n"
        + "Content-Type: application/xml\r\n\r\n" + edited + "\r\n--" + boundary + "--\r\n";
    Answer deployed = client.send(client.request("/engine-rest/deployment/create", basic("admin", "test-admin-password"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    assertThat(deployed.status()).as(deployed.raw().body()).isEqualTo(200);
    deployment = deployed.body().get("id").asText();
  }
}
