package io.greenlight.slack;

import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.greenlight.testing.FakeSlack;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Approvers in Slack: a direct message with buttons through a fake Slack Web API, clicks and the reason modal posted
 * back as Slack posts them (signed with the app's signing secret), every message updated when the request ends.
 */
class SlackTest extends GreenlightApplicationTest {

  private static final String ALICE = "U0ALICE01";
  private static final String BOB = "U0BOB0002";
  private static final String IVAN = "U0IVAN001";

  @org.springframework.beans.factory.annotation.Autowired
  org.camunda.bpm.engine.RuntimeService runtime;
  private static final String OCTOCAT = "U0OCTOCAT";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anApproverApprovesFromTheButtonAndEveryMessageSaysHowItEnded() throws Exception {
    Pending request = requestApproval("gh/acme/shop");

    FakeSlack.Message asked = onlyMessageTo(ALICE);
    FakeSlack.Call post = slack.calls("chat.postMessage").get(0);
    assertThat(post.authorization()).isEqualTo("Bearer " + FakeSlack.BOT_TOKEN);
    assertThat(asked.text()).isEqualTo("Deploy approval: gh/acme/shop main abc1234 by octocat");
    assertThat(asked.blocks().toString()).contains("Project: gh/acme/shop", "Branch: main", "Commit: abc1234def",
        "Requested by: octocat", "Expires: ");
    assertThat(buttons(asked)).extracting(button -> button.path("action_id").asText() + "=" + button.path("value").asText())
        .containsExactly("approve=" + request.id, "reject=" + request.id, "escalate=" + request.id);
    assertThat(onlyMessageTo(BOB).blocks()).isNotNull();

    assertThat(click(ALICE, "approve", request.id).status()).isEqualTo(200);

    assertThat(reply(ALICE, text -> text.startsWith("Recorded"))).isEqualTo(
        "Recorded: you approved gh/acme/shop main. CircleCI will be told.");
    runDueJobs();
    JsonNode approved = approval(request.id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions")).hasSize(1);
    assertThat(approved.get("decisions").get(0).get("user").asText()).isEqualTo("alice");
    assertThat(approved.get("decisions").get(0).get("channel").asText()).isEqualTo("slack");
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1);

    for (String member : List.of(ALICE, BOB)) {
      FakeSlack.Message ended = slack.messagesTo(member).get(0);
      assertThat(ended.updates()).as(member).isEqualTo(1);
      assertThat(ended.text()).as(member).contains("approved").contains("alice");
      assertThat(ended.blocks().toString()).as(member).doesNotContain("\"actions\"").doesNotContain("approve\"");
    }
    assertThat(client.get("/api/approvals/" + request.id + "/audit", bearer(ACME_KEY)).raw().body()).contains("slack");
  }

  @Test
  void rejectAsksForTheReasonInAModalAndCancelsTheWorkflow() throws Exception {
    Pending request = requestApproval("gh/acme/shop");

    assertThat(click(BOB, "reject", request.id).status()).isEqualTo(200);

    FakeSlack.Call opened = slack.calls("views.open").get(0);
    assertThat(opened.arguments().get("trigger_id")).isEqualTo("trigger-" + BOB);
    JsonNode view = opened.json("view");
    assertThat(view.path("type").asText()).isEqualTo("modal");
    assertThat(view.path("private_metadata").asText()).isEqualTo(request.id);
    assertThat(view.toString()).contains("\"block_id\":\"reason\"").contains("\"action_id\":\"reason\"")
        .contains("plain_text_input");
    assertThat(approval(request.id).get("status").asText()).isEqualTo("PENDING");

    Answer withoutReason = submitReason(BOB, request.id, "  ");
    assertThat(withoutReason.status()).isEqualTo(200);
    assertThat(withoutReason.body().path("response_action").asText()).isEqualTo("errors");
    assertThat(withoutReason.body().at("/errors/reason").asText()).contains("reason").endsWith("Nothing was recorded.");
    assertThat(approval(request.id).get("decisions")).isEmpty();

    Answer rejected = submitReason(BOB, request.id, "the migration is not reviewed");
    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.raw().body()).isEmpty();

    runDueJobs();
    JsonNode decided = approval(request.id);
    assertThat(decided.get("status").asText()).isEqualTo("REJECTED");
    assertThat(decided.get("decisions").get(0).get("user").asText()).isEqualTo("bob");
    assertThat(decided.get("decisions").get(0).get("channel").asText()).isEqualTo("slack");
    assertThat(decided.get("decisions").get(0).get("comment").asText()).isEqualTo("the migration is not reviewed");
    assertThat(circleCi.requests("POST", "/workflow/" + request.workflowId + "/cancel")).hasSize(1);
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).isEmpty();
    assertThat(slack.messagesTo(ALICE).get(0).text()).contains("rejected").contains("bob");
  }

  @Test
  void duringAFreezeTheIncidentCommandersApproveButtonAsksForTheEmergencyFirst() throws Exception {
    String bob = GreenlightTestClient.basic("bob", "bob-password");
    Answer frozen = client.postJson("/api/freezes", bob, """
        {"projects": "gh/acme/slack-frozen", "ends_at": "%s", "reason": "INC-12 checkout down"}
        """.formatted(Instant.now().plusSeconds(3600)));
    assertThat(frozen.status()).as(frozen.raw().body()).isEqualTo(201);
    try {
      // A project of its own: a freeze reaches every waiting request it covers.
      Pending request = requestApproval("gh/acme/slack-frozen");
      assertThat(slack.messagesTo(ALICE)).as("approvers are not asked while deploys are frozen").isEmpty();
      assertThat(onlyMessageTo(IVAN).text()).startsWith("FROZEN: INC-12 checkout down. Until ");

      assertThat(click(IVAN, "approve", request.id).status()).isEqualTo(200);

      JsonNode view = slack.calls("views.open").get(0).json("view");
      assertThat(view.path("callback_id").asText()).isEqualTo("greenlight_break_glass");
      assertThat(view.toString()).contains("breaks the glass");
      assertThat(approval(request.id).get("decisions")).isEmpty();
      Answer withoutReason = submitReason(IVAN, request.id, " ", "greenlight_break_glass");
      assertThat(withoutReason.body().at("/errors/reason").asText()).contains("needs a reason");

      assertThat(submitReason(IVAN, request.id, "the fix for INC-12", "greenlight_break_glass").raw().body()).isEmpty();
      runDueJobs();
      JsonNode approved = approval(request.id);
      assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
      assertThat(approved.at("/break_glass/reason").asText()).isEqualTo("the fix for INC-12");
      assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1);
    } finally {
      client.send(client.request("/api/freezes/" + frozen.body().get("id").asText(), bob).DELETE().build());
      runtime.createProcessInstanceQuery().processDefinitionKey("emergency-deploy-review").list()
          .forEach(review -> runtime.deleteProcessInstance(review.getId(), "the test is over"));
    }
  }

  @Test
  void forgedAndStaleRequestsChangeNothing() throws Exception {
    Pending request = requestApproval("gh/acme/shop");
    String body = "payload=" + URLEncoder.encode(blockActions(ALICE, "approve", request.id).toString(), StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());
    String stale = String.valueOf(Instant.now().minus(Duration.ofSeconds(301)).getEpochSecond());
    String future = String.valueOf(Instant.now().plus(Duration.ofMinutes(6)).getEpochSecond());

    List<Answer> refused = List.of(
        post(body, now, null),
        post(body, now, FakeSlack.sign("not-the-signing-secret", now, body)),
        post(body, now, FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body.replace("approve", "reject"))),
        post(body, stale, FakeSlack.sign(FakeSlack.SIGNING_SECRET, stale, body)),
        post(body, future, FakeSlack.sign(FakeSlack.SIGNING_SECRET, future, body)),
        post(body, null, FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body)));

    assertThat(refused).allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.body().get("error").asText()).isEqualTo("invalid_signature");
    });
    JsonNode untouched = approval(request.id);
    assertThat(untouched.get("status").asText()).isEqualTo("PENDING");
    assertThat(untouched.get("decisions")).isEmpty();
    assertThat(slack.calls("views.open")).isEmpty();
    assertThat(slack.messagesTo(ALICE)).hasSize(1);

    assertThat(post(body, now, FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body)).status()).isEqualTo(200);
    runDueJobs();
    assertThat(approval(request.id).get("status").asText()).isEqualTo("APPROVED");
    assertThat(approval(request.id).get("decisions").findValuesAsText("user")).containsExactly("alice");
  }

  @Test
  void aQuorumGathersAcrossTasklistSlackAndSmsAndALateClickIsToldWhoDecided() throws Exception {
    Pending request = requestApproval("gh/acme/payments");

    GreenlightTestClient browser = new GreenlightTestClient(port);
    browser.webappLogin("tasklist", "bob", "bob-password");
    String taskId = browser.get("/camunda/api/engine/engine/default/task?processInstanceId=" + request.id, null).body()
        .get(0).get("id").asText();
    Answer submitted = browser.send(browser.request("/camunda/api/engine/engine/default/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", browser.currentXsrfToken())
        .POST(HttpRequest.BodyPublishers.ofString("{\"variables\": {\"decision\": {\"value\": \"approve\"}}}")).build());
    assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(204);
    runDueJobs();
    assertThat(slack.messagesTo(ALICE).get(0).updates()).isZero();

    click(ALICE, "approve", request.id);
    assertThat(reply(ALICE, text -> text.startsWith("Recorded"))).isEqualTo(
        "Recorded: you approved gh/acme/payments main. CircleCI will be told.");

    String lateSms = smsReply("+15551230002", "APPROVE " + request.code);
    assertThat(lateSms).contains("decided by bob, alice");
    click(BOB, "approve", request.id);
    assertThat(reply(BOB, text -> text.contains("Nothing was recorded"))).contains("already").contains("bob, alice");
    click(BOB, "reject", request.id);
    assertThat(replies(BOB, 2, text -> text.contains("Nothing was recorded"))).allSatisfy(text ->
        assertThat(text).contains("decided by bob, alice"));
    assertThat(slack.calls("views.open")).isEmpty();

    runDueJobs();
    JsonNode approved = approval(request.id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions").findValuesAsText("channel")).containsExactly("tasklist", "slack");
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1);
    assertThat(slack.messagesTo(ALICE).get(0).updates()).isEqualTo(1);
  }

  @Test
  void aQuorumGathersAcrossSlackAndSms() throws Exception {
    Pending request = requestApproval("gh/acme/payments");

    click(ALICE, "approve", request.id);
    assertThat(reply(ALICE, text -> text.startsWith("Recorded"))).isEqualTo(
        "Recorded: you approved gh/acme/payments main. 1 more approval is needed.");
    assertThat(smsReply("+15551230002", "APPROVE " + request.code)).contains("Recorded: you approved");

    runDueJobs();
    JsonNode approved = approval(request.id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions").findValuesAsText("channel")).containsExactly("slack", "sms");
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1);
  }

  @Test
  void onlyCandidatesWhoDidNotAskMayAnswerAndStrangersAreTold() throws Exception {
    Pending request = requestApproval("gh/acme/shop");

    click(OCTOCAT, "approve", request.id);
    assertThat(reply(OCTOCAT, text -> text.contains("Nothing was recorded"))).contains("own");
    click("U0STRANGER", "approve", request.id);
    assertThat(reply("U0STRANGER", text -> true)).contains("does not know your Slack account").contains("slack: U0STRANGER");
    click(ALICE, "approve", "not-a-request");
    assertThat(reply(ALICE, text -> text.contains("names no request"))).isNotNull();

    assertThat(approval(request.id).get("decisions")).isEmpty();
    assertThat(approval(request.id).get("status").asText()).isEqualTo("PENDING");
  }

  /** Finding 6: the signing secret is the app's, which may be installed in other workspaces too. */
  @Test
  void aClickFromAnotherWorkspaceIsRefusedAndChangesNothing() throws Exception {
    Pending request = requestApproval("gh/acme/shop");
    ObjectNode elsewhere = blockActions(ALICE, "approve", request.id);
    elsewhere.putObject("team").put("id", "T0OTHER01").put("domain", "other");
    String body = "payload=" + URLEncoder.encode(elsewhere.toString(), StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());

    Answer refused = post(body, now, FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("error").asText()).isEqualTo("wrong_workspace");
    runDueJobs();
    assertThat(approval(request.id).get("decisions")).isEmpty();
    assertThat(slack.calls("auth.test")).as("the workspace is learned once").hasSizeLessThanOrEqualTo(1);
    assertThat(click(ALICE, "approve", request.id).status()).as("the bot token's own workspace").isEqualTo(200);
  }

  /** Slack's third button asks the next level now, as SMS ESCALATE and key 3 do. */
  @Test
  void theEscalateButtonAsksTheNextLevel() throws Exception {
    Pending request = requestApproval("gh/acme/shop");
    click(ALICE, "escalate", request.id);
    assertThat(reply(ALICE, text -> text.startsWith("Escalated") || text.startsWith("Everyone"))).contains("gh/acme/shop main");
    assertThat(approval(request.id).get("decisions")).isEmpty();
  }

  @Test
  void aSlackOutageIsRetriedWithoutHoldingUpTheOtherChannels() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    slack.failNext(503);
    slack.failNext(503);
    String id = askForApproval(workflowId);
    runDueJobsButSlack(); // the failing Slack jobs are retried later (their retry cycle), the rest carries on

    assertThat(twilio.messagesTo("+15551230001")).hasSize(1);
    assertThat(approval(id).get("notified").findValuesAsText("channel")).contains("sms", "email");
    List<org.camunda.bpm.engine.runtime.Job> failed = management.createJobQuery().processInstanceId(id).activityId("AskOnTheirChannels")
        .withException().list();
    assertThat(failed).isNotEmpty();
    assertThat(failed.get(0).getExceptionMessage()).contains("Slack answered chat.postMessage with HTTP 503");

    failed.forEach(job -> management.executeJob(job.getId()));
    assertThat(slack.messagesTo(ALICE)).hasSize(1);
    assertThat(slack.messagesTo(BOB)).hasSize(1);
  }

  /** Due jobs, as the job executor runs them: a failing one is left for its next retry. */
  private void runDueJobsButSlack() {
    for (int round = 0; round < 20; round++) {
      List<org.camunda.bpm.engine.runtime.Job> due = management.createJobQuery().executable().list();
      if (due.isEmpty()) {
        return;
      }
      for (org.camunda.bpm.engine.runtime.Job job : due) {
        try {
          management.executeJob(job.getId());
        } catch (IllegalStateException slackDown) {
          assertThat(slackDown.getMessage()).contains("Slack");
        }
      }
    }
  }

  // --- as Slack posts ---

  private Answer click(String member, String actionId, String requestId) {
    String body = "payload=" + URLEncoder.encode(blockActions(member, actionId, requestId).toString(), StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());
    return post(body, now, FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body));
  }

  private Answer submitReason(String member, String requestId, String reason) {
    return submitReason(member, requestId, reason, "greenlight_reject");
  }

  private Answer submitReason(String member, String requestId, String reason, String callbackId) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("type", "view_submission");
    payload.putObject("team").put("id", "T0ACME001").put("domain", "acme");
    payload.putObject("user").put("id", member).put("username", member.toLowerCase()).put("team_id", "T0ACME001");
    payload.put("api_app_id", "A0GREENLT").put("token", "legacy-verification-token").put("trigger_id", "trigger-view-" + member);
    ObjectNode view = payload.putObject("view");
    view.put("id", "V0000001").put("type", "modal").put("callback_id", callbackId).put("hash", "1.abc")
        .put("private_metadata", requestId);
    view.putObject("state").putObject("values").putObject("reason").putObject("reason")
        .put("type", "plain_text_input").put("value", reason);
    payload.putArray("response_urls");
    String body = "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());
    return post(body, now, FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body));
  }

  private static ObjectNode blockActions(String member, String actionId, String requestId) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("type", "block_actions");
    payload.putObject("user").put("id", member).put("username", member.toLowerCase()).put("name", member.toLowerCase())
        .put("team_id", "T0ACME001");
    payload.put("api_app_id", "A0GREENLT").put("token", "legacy-verification-token");
    payload.putObject("container").put("type", "message").put("message_ts", "1767225600.000001")
        .put("channel_id", "D" + member.substring(1)).put("is_ephemeral", false);
    payload.put("trigger_id", "trigger-" + member);
    payload.putObject("team").put("id", "T0ACME001").put("domain", "acme");
    payload.putObject("channel").put("id", "D" + member.substring(1)).put("name", "directmessage");
    payload.put("response_url", "https://hooks.slack.com/actions/T0ACME001/1/abc");
    ObjectNode action = payload.putArray("actions").addObject();
    action.put("type", "button").put("action_id", actionId).put("block_id", "decide").put("value", requestId)
        .put("action_ts", "1767225601.000002");
    action.putObject("text").put("type", "plain_text").put("text", actionId).put("emoji", true);
    payload.putObject("state").putObject("values");
    return payload;
  }

  private Answer post(String body, String timestamp, String signature) {
    HttpRequest.Builder request = client.request("/slack/interactivity", null)
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (timestamp != null) {
      request.header("X-Slack-Request-Timestamp", timestamp);
    }
    if (signature != null) {
      request.header("X-Slack-Signature", signature);
    }
    return client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  // --- what happened ---

  private record Pending(String id, String code, String workflowId, String approvalRequestId) {}

  private Pending requestApproval(String projectSlug) {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold", projectSlug);
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "%s", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def"}""".formatted(projectSlug, workflowId)).body();
    runDueJobs();
    return new Pending(created.get("id").asText(), created.get("code").asText(), workflowId, approvalRequestId);
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
  }

  private static FakeSlack.Message onlyMessageTo(String member) {
    List<FakeSlack.Message> messages = slack.messagesTo(member);
    assertThat(messages).as("messages to " + member).hasSize(1);
    return messages.get(0);
  }

  private static List<JsonNode> buttons(FakeSlack.Message message) {
    List<JsonNode> buttons = new java.util.ArrayList<>();
    message.blocks().forEach(block -> block.path("elements").forEach(element -> {
      if (element.has("value")) {
        buttons.add(element);
      }
    }));
    return buttons;
  }

  /** The first {@code count} of Greenlight's answers to clicks that {@code wanted} picks. */
  private static List<String> replies(String member, int count, Predicate<String> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> found = slack.messagesTo(member).stream().map(FakeSlack.Message::text)
          .filter(text -> text != null && !text.startsWith("Deploy approval") && wanted.test(text)).toList();
      if (found.size() >= count) {
        return found.subList(0, count);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("Fewer than " + count + " such replies to " + member + " in 10 s; messages: " + slack.messagesTo(member));
  }

  /** Greenlight's answer to a click, a message of its own sent just after (Slack waits only three seconds). */
  private static String reply(String member, Predicate<String> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (FakeSlack.Message message : slack.messagesTo(member)) {
        if (message.text() != null && !message.text().startsWith("Deploy approval") && wanted.test(message.text())) {
          return message.text();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("No such reply to " + member + " in 10 s; messages: " + slack.messagesTo(member));
  }
}
