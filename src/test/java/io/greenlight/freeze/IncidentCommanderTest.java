package io.greenlight.freeze;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * As an incident commander lives it, through Greenlight's own doors: a release manager freezes deploys with one curl,
 * a pipeline is held, an approver's approval is refused, the incident commander approves the fix by SMS with a reason,
 * and the team reviews the emergency deploy next morning in Tasklist. Everything shows in the request's API answer,
 * its timeline and the period export.
 */
class IncidentCommanderTest extends GreenlightApplicationTest {

  private static final String BOB = basic("bob", "bob-password");
  private static final String ALICE = basic("alice", "alice-password");
  private static final String IVANS_PHONE = "+15551230301";

  private String freezeId;

  @AfterEach
  void endTheFreeze() {
    if (freezeId != null) {
      client.send(client.request("/api/freezes/" + freezeId, BOB).DELETE().build());
    }
  }

  @Test
  void anEmergencyFixIsApprovedByTheIncidentCommanderDuringAFreezeAndReviewedNextMorning() {
    Answer declared = client.postJson("/api/freezes", BOB, """
        {"projects": "gh/acme/payments", "ends_at": "%s", "reason": "INC-4711 payments outage"}
        """.formatted(Instant.now().plus(2, ChronoUnit.HOURS)));
    assertThat(declared.status()).as(declared.raw().body()).isEqualTo(201);
    freezeId = declared.body().get("id").asText();

    String workflowId = UUID.randomUUID().toString();
    // A project of its own: a freeze reaches every waiting request it covers, and other tests' requests are of gh/acme/shop.
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold", "gh/acme/payments");
    Answer asked = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/payments", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def"}""".formatted(workflowId));
    assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
    String id = asked.body().get("id").asText();
    runDueJobs();

    JsonNode held = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(held.get("frozen").get("reason").asText()).isEqualTo("INC-4711 payments outage");
    assertThat(twilio.messagesTo("+15551230001")).as("alice is not asked while deploys are frozen").isEmpty();
    assertThat(twilio.messagesTo(IVANS_PHONE)).singleElement()
        .satisfies(sms -> assertThat(sms.form().get("Body")).startsWith("FROZEN: INC-4711 payments outage. Until "));

    Answer alice = client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}");
    assertThat(alice.status()).isEqualTo(409);
    assertThat(alice.body().get("error").asText()).isEqualTo("frozen");
    assertThat(alice.body().get("message").asText()).contains("INC-4711 payments outage");

    // Called, the incident commander presses 1: a key carries no reason, so the call says how to give one.
    String gather = "/twilio/voice/gather?request=" + id + "&user=ivan";
    java.util.Map<String, String> keyPressed = new java.util.LinkedHashMap<>();
    keyPressed.put("AccountSid", io.greenlight.testing.FakeTwilio.ACCOUNT_SID);
    keyPressed.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
    keyPressed.put("Digits", "1");
    assertThat(client.postTwilio(gather, keyPressed, io.greenlight.testing.FakeTwilio.sign(PUBLIC_URL + gather, keyPressed))
        .raw().body()).contains("needs a reason").contains("Approve by text message instead");

    String code = held.get("code").asText();
    assertThat(smsReply(IVANS_PHONE, "APPROVE " + code)).contains("needs a reason").contains("Reply APPROVE " + code + " &lt;reason&gt;");
    assertThat(smsReply(IVANS_PHONE, "APPROVE " + code + " hotfix for INC-4711")).contains("Recorded")
        .contains("decides alone").doesNotContain("more approval");
    runDueJobs();

    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
    JsonNode approved = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("break_glass").get("by").asText()).isEqualTo("ivan");
    assertThat(approved.get("break_glass").get("reason").asText()).isEqualTo("hotfix for INC-4711");

    // Next morning: alice finds the review in Tasklist (Camunda's own API, as the Tasklist form completes it).
    JsonNode reviews = client.get("/engine-rest/task?processDefinitionKey=emergency-deploy-review&processInstanceBusinessKey="
        + id, ALICE).body();
    assertThat(reviews).hasSize(1);
    String reviewTask = reviews.get(0).get("id").asText();
    Answer sneaky = client.postJson("/engine-rest/task/" + reviewTask + "/complete", ALICE, """
        {"variables": {"reviewOutcome": {"value": "acknowledged"}, "breakGlassBy": {"value": "someone-else"}}}
        """);
    assertThat(sneaky.status()).as("only the review's own fields are an answer").isEqualTo(400);
    Answer reviewed = client.postJson("/engine-rest/task/" + reviewTask + "/complete", ALICE, """
        {"variables": {"reviewOutcome": {"value": "concern"}, "comment": {"value": "Should have waited for the rollback"}}}
        """);
    assertThat(reviewed.status()).as(reviewed.raw().body()).isEqualTo(204);

    GreenlightTestClient browser = new GreenlightTestClient(port);
    browser.webappLogin("tasklist", "audrey", "audrey-password");
    assertThat(browser.get("/history/" + id, null).raw().body()).contains("BREAK-GLASS")
        .contains("approved during a freeze by ivan").contains("hotfix for INC-4711");
    assertThat(browser.get("/history", null).raw().body()).contains("BREAK-GLASS");
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    assertThat(client.get("/api/audit.csv?from=" + today + "&to=" + today, basic("audrey", "audrey-password")).raw().body())
        .contains(id + ",gh/acme/payments,circleci,hold,octocat,APPROVED,ivan,,true,");

    JsonNode timeline = client.get("/api/approvals/" + id, ALICE).body().get("timeline");
    assertThat(StreamSupport.stream(timeline.spliterator(), false).map(entry -> entry.get("event").asText()))
        .contains("Frozen", "Answer refused", "Break-glass approval", "Emergency deploy reviewed").doesNotContain("Freeze ended");
    assertThat(StreamSupport.stream(timeline.spliterator(), false)
        .filter(entry -> entry.get("event").asText().equals("Emergency deploy reviewed")).findFirst().orElseThrow()
        .get("detail").asText()).isEqualTo("concern: Should have waited for the rollback");
  }
}
