package io.greenlight.answer;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Anyone in the directory may answer any request and be refused; done 300 times with long comments, that must not
 * bury the request's history or grow it without bound, and the person is turned away after a few.
 */
class RefusalFloodTest extends GreenlightApplicationTest {

  private static final String DAVE = basic("dave", "dave-password"); // in the directory, an approver of nothing here

  @Autowired
  RefusalLimit refusalLimit;

  @BeforeEach
  void productionLimit() {
    refusalLimit.reset(10, Duration.ofMinutes(5));
  }

  @AfterEach
  void testLimit() {
    refusalLimit.reset(100_000, Duration.ofMinutes(5));
  }

  @Test
  void aFloodOfRefusedAnswersIsFoldedAndTurnedAway() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();
    int sizeBefore = client.get("/api/approvals/" + id, basic("alice", "alice-password")).raw().body().length();

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Answer answer = client.postJson("/api/approvals/" + id + "/decision", DAVE,
          "{\"decision\": \"approve\", \"comment\": \"" + ("flood " + i + " ").repeat(100) + "\"}");
      statuses.add(answer.status());
    }

    assertThat(statuses.subList(0, 10)).allSatisfy(status -> assertThat(status).isBetween(400, 403));
    assertThat(statuses.subList(10, 300)).containsOnly(429);
    JsonNode request = client.get("/api/approvals/" + id, basic("alice", "alice-password")).body();
    List<JsonNode> refusals = request.get("timeline").findParents("event").stream()
        .filter(entry -> entry.get("event").asText().equals("Answer refused")).toList();
    assertThat(refusals).hasSize(RefusedAnswers.KEPT_IN_FULL + 1);
    assertThat(refusals.get(refusals.size() - 1).get("detail").asText())
        .contains("refused answer 10 of theirs on this request", "flood 9 ")
        .hasSizeLessThan(900);
    int sizeAfter = client.get("/api/approvals/" + id, basic("alice", "alice-password")).raw().body().length();
    assertThat(sizeAfter - sizeBefore).isLessThan(6_000);

    // The real approvers are not affected.
    Answer approved = client.postJson("/api/approvals/" + id + "/decision", basic("alice", "alice-password"),
        "{\"decision\": \"approve\", \"comment\": \"ship it\"}");
    assertThat(approved.status()).isEqualTo(200);
    runDueJobs();
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
  }

  @Test
  void theTurnedAwayMayAnswerAgainOnceTheWindowHasPassed() {
    refusalLimit.reset(3, Duration.ofSeconds(1));
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();
    for (int i = 0; i < 3; i++) {
      assertThat(client.postJson("/api/approvals/" + id + "/decision", DAVE, "{\"decision\": \"approve\"}").status()).isEqualTo(403);
    }
    assertThat(client.postJson("/api/approvals/" + id + "/decision", DAVE, "{\"decision\": \"approve\"}").status()).isEqualTo(429);

    org.camunda.bpm.engine.impl.util.ClockUtil.offset(2_000L);
    try {
      assertThat(client.postJson("/api/approvals/" + id + "/decision", DAVE, "{\"decision\": \"approve\"}").status()).isEqualTo(403);
    } finally {
      org.camunda.bpm.engine.impl.util.ClockUtil.reset();
    }
  }
}
