package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nobody answers: the manager on call is asked, then the other managers, then the directors, and at the deadline
 * the workflow is cancelled and everyone is told — all of it in the request's timeline.
 */
class EscalationJourneyTest extends GreenlightApplicationTest {

  private static final Map<String, String> PHONES = Map.of("mia", "+15551230101", "max", "+15551230102",
      "mo", "+15551230103", "dora", "+15551230201");

  @AfterEach
  void backToNow() {
    ClockUtil.reset();
  }

  @Test
  void aRequestNobodyAnswersClimbsEveryLevelThenExpires() {
    runDueJobs();
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String onCall = client.get("/api/oncall/managers", basic("alice", "alice-password")).body().get("on_call").get(0).asText();
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "approver_group": "managers",
         "requested_by": "octocat", "branch": "main", "commit": "abc1234def"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();

    assertThat(textedOf(id)).containsExactly(onCall);

    passTime(Duration.ofMinutes(16));
    runDueJobs();
    List<String> managers = List.of("mia", "max", "mo");
    assertThat(textedOf(id)).containsExactlyInAnyOrderElementsOf(managers);
    assertThat(approval(id).get("escalation_level").asInt()).isEqualTo(2);

    passTime(Duration.ofMinutes(16));
    runDueJobs();
    JsonNode atLevelThree = approval(id);
    assertThat(atLevelThree.get("escalation_level").asInt()).isEqualTo(3);
    assertThat(atLevelThree.get("escalated_to").asText()).isEqualTo("directors");
    assertThat(textedOf(id)).contains("dora");

    passTime(Duration.ofHours(3));
    runDueJobs();
    JsonNode expired = approval(id);
    assertThat(expired.get("status").asText()).isEqualTo("EXPIRED");
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/cancel")).hasSize(1);
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).isEmpty();
    // Other tests' requests still waiting in the shared application may message the same people meanwhile: the last
    // message about this request (its code) is the one that counts.
    String code = expired.get("code").asText();
    for (String asked : List.of("mia", "max", "mo", "dora")) {
      assertThat(twilio.messagesTo(PHONES.get(asked)).stream().filter(sms -> sms.form().get("Body").contains(code)).toList())
          .last().satisfies(sms -> assertThat(sms.form().get("Body")).contains("nobody answered in time; the workflow was cancelled"));
    }
    assertThat(expired.get("timeline").findValuesAsText("event")).containsSubsequence("Asked", "Escalated", "Asked",
        "Escalated", "Asked", "Deadline passed", "CircleCI call", "Outcome");
    // Who is on call depends on the day the test runs; the rest of the group is listed in the directory's order.
    String restOfTheGroup = String.join(", ", managers.stream().filter(manager -> !manager.equals(onCall)).toList());
    assertThat(expired.get("timeline").findValuesAsText("detail")).contains("level 1 (on call): " + onCall,
        "level 2 (the rest of the group): " + restOfTheGroup, "EXPIRED", "cancel: HTTP 202, token of service");
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
  }

  /** Who got an SMS asking for this request (not the outcome messages). */
  private List<String> textedOf(String id) {
    return approval(id).get("notified").findParents("channel").stream()
        .filter(entry -> entry.get("channel").asText().equals("sms") && !entry.has("detail"))
        .map(entry -> entry.get("user").asText()).distinct().toList();
  }

  private static void passTime(Duration duration) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis()));
  }
}
