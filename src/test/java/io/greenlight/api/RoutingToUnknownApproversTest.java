package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.routing.RoutingCheck;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A process owner deploys a routing table with a row for a group the directory lacks: it is said at once (log,
 * metric), the API refuses requests it would route there, and the xMatters orb's request fails visibly at routing.
 */
class RoutingToUnknownApproversTest extends GreenlightApplicationTest {

  @Autowired
  RepositoryService repository;

  @Autowired
  RoutingCheck routingCheck;

  private String deployment;

  @BeforeEach
  void deployARowForAGroupNobodyCreated() throws IOException {
    String table = Files.readString(Path.of("bpmn/approver-routing.dmn")).replace("""
              <rule id="RulePaymentsMain">""", """
              <rule id="RuleGhost">
                <inputEntry id="RuleGhostProject"><text>"gh/acme/ghost"</text></inputEntry>
                <inputEntry id="RuleGhostBranch"><text></text></inputEntry>
                <outputEntry id="RuleGhostGroup"><text>"ghost-team"</text></outputEntry>
                <outputEntry id="RuleGhostApprovals"><text>1</text></outputEntry>
                <outputEntry id="RuleGhostEscalate"><text>"PT15M"</text></outputEntry>
                <outputEntry id="RuleGhostExpire"><text>"PT3H"</text></outputEntry>
              </rule>
              <rule id="RulePaymentsMain">""");
    assertThat(table).contains("RuleGhost");
    deployment = repository.createDeployment().name("routing with a ghost").addString("approver-routing.dmn", table).deploy().getId();
  }

  @AfterEach
  void restoreTheRoutingTable() {
    repository.deleteDeployment(deployment, true);
    assertThat(routingCheck.check()).isEmpty();
  }

  @Test
  void theUnknownGroupIsSaidAtOnceAndCounted() {
    assertThat(routingCheck.check()).containsExactly("ghost-team");

    String metrics = client.get("/actuator/prometheus", basic("alice", "alice-password")).raw().body();
    assertThat(metrics).contains("greenlight_routing_unknown_approvers 1.0");
  }

  @Test
  void theApiRefusesARequestTheTableWouldRouteToNobody() {
    Answer refused = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/ghost", "workflow_id": "%s", "requested_by": "octocat"}
        """.formatted(UUID.randomUUID()));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().get("error").asText()).isEqualTo("unknown_approvers");
    assertThat(refused.body().get("message").asText())
        .isEqualTo("The routing table gives ghost-team for this request. The directory has no group or user named 'ghost-team'.");
  }

  @Test
  void theOrbsRequestFailsAtRoutingAndItsWorkflowIsCancelled() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", "gh/acme/ghost");

    Answer created = client.postJson("/api/inbound/xmatters?apiKey=" + ACME_KEY, null, """
        {"properties": {"author": "octocat", "project": "ghost", "workflow_id": "%s", "branch": "main",
         "commit": "abc1234def5678", "build": "42", "build_url": "https://circleci.com/gh/acme/ghost/42",
         "job": "request-approval", "job_status": "success"}}
        """.formatted(workflowId));
    assertThat(created.status()).isEqualTo(201);
    runDueJobs();

    JsonNode failed = client.get("/api/approvals/" + created.body().get("id").asText(), bearer(ACME_KEY)).body();
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("approver_group").asText()).isEqualTo("ghost-team");
    assertThat(failed.get("failure_reason").asText()).contains("'ghost-team'");
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/cancel")).hasSize(1);
  }
}
