package io.greenlight.answer;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.greenlight.approval.ActivityIds;
import io.greenlight.testing.FakeSlack;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same answers through every channel — the decision API, an SMS reply, a Slack click (and its reason form), a key
 * pressed on a call, Tasklist's form — end the same way: recorded on that channel, or refused with the same code, kept
 * in the request's timeline. Where a channel cannot say a thing at all, it is left out and the reason is given: a call
 * always gives its reason ("rejected by phone"); Tasklist shows the task to its candidates only, has no escalate, and
 * no task once the request ended.
 *
 * <p>The request is for "alice, octocat", asked by octocat: alice may answer, octocat may not approve their own deploy,
 * bob (on every channel too) is not a candidate.
 */
class EveryChannelAnswersAlikeTest extends GreenlightApplicationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFUSAL_CODE = Pattern.compile("refused \\((\\w+)\\)");
  private static final Map<String, String> PHONE = Map.of("alice", "+15551230001", "bob", "+15551230002", "octocat", "+15551230003");
  private static final Map<String, String> SLACK = Map.of("alice", "U0ALICE01", "bob", "U0BOB0002", "octocat", "U0OCTOCAT");

  private record Pending(String id, String code) {}

  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice", "tasklist"})
  void anApprovalIsRecordedOnItsChannel(String channel) {
    Pending request = requestApproval();
    answer(channel, request, "alice", "approve", null);
    runDueJobs();
    JsonNode approved = approval(request);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.at("/decisions/0/channel").asText()).isEqualTo(channel);
    assertThat(refusalCodes(request)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice", "tasklist"})
  void aRejectionWithAReasonIsRecordedOnItsChannel(String channel) {
    Pending request = requestApproval();
    answer(channel, request, "alice", "reject", "not during the sale");
    runDueJobs();
    JsonNode rejected = approval(request);
    assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
    assertThat(rejected.at("/decisions/0/channel").asText()).isEqualTo(channel);
  }

  /** A call cannot leave the reason out: key 2 gives "rejected by phone". */
  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "tasklist"})
  void aRejectionWithoutAReasonIsRefusedAlike(String channel) {
    Pending request = requestApproval();
    answer(channel, request, "alice", "reject", null);
    assertRefusedOnly(request, Refusals.COMMENT_REQUIRED, channel);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice", "tasklist"})
  void approvingOnesOwnDeployIsRefusedAlike(String channel) {
    Pending request = requestApproval();
    answer(channel, request, "octocat", "approve", null);
    assertRefusedOnly(request, Refusals.OWN_DEPLOYMENT, channel);
  }

  /**
   * alice wrote a commit of the change (her directory logins include alice-gh): her approval is refused as the
   * requester's is, on every channel.
   */
  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice", "tasklist"})
  void approvingOnesOwnChangeIsRefusedAlike(String channel) {
    Pending request = requestApprovalOfAChangeBy("alice-gh");
    assertThat(approval(request).at("/changes/authors").toString()).contains("alice-gh");
    answer(channel, request, "alice", "approve", null);
    assertRefusedOnly(request, Refusals.AUTHORED_CHANGE, channel);
  }

  /** In Tasklist a non-candidate does not even see the task; the engine refuses them before Greenlight is asked. */
  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice"})
  void someoneWhoIsNotACandidateIsRefusedAlike(String channel) {
    Pending request = requestApproval();
    answer(channel, request, "bob", "approve", null);
    assertRefusedOnly(request, Refusals.NOT_AN_APPROVER, channel);
  }

  /** Slack asks for a reason only when a rejection could be taken; a refusal before that is recorded like any other. */
  @org.junit.jupiter.api.Test
  void aRejectClickFromSomeoneWhoIsNotACandidateIsRefusedAndRecorded() {
    Pending request = requestApproval();
    slackPost(blockActions(SLACK.get("bob"), "reject", request.id));
    assertThat(refusalCodes(request)).containsExactly(Refusals.NOT_AN_APPROVER);
  }

  /** Someone who may not answer learns nothing of the request, not even how it ended. */
  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice"})
  void someoneWhoIsNotACandidateIsNotToldHowTheRequestEnded(String channel) {
    Pending request = requestApproval();
    answer("api", request, "alice", "reject", "wrong branch");
    answer(channel, request, "bob", "approve", null);
    assertThat(refusalCodes(request)).containsExactly(Refusals.NOT_AN_APPROVER);
  }

  /** Once decided, Tasklist has no task left to complete. */
  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice"})
  void anAnswerAfterTheDecisionIsToldItIsAlreadyDecided(String channel) {
    Pending request = requestApproval();
    answer("api", request, "alice", "reject", "wrong branch");
    answer(channel, request, "alice", "approve", null);
    assertThat(refusalCodes(request)).containsExactly(Refusals.ALREADY_DECIDED);
    assertThat(approval(request).get("decisions")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice"})
  void anAnswerAfterTheDeadlineIsToldItExpired(String channel) {
    Pending request = requestApproval();
    String deadline = management.createJobQuery().processInstanceId(request.id).activityId(ActivityIds.DEADLINE_PASSED)
        .singleResult().getId();
    management.executeJob(deadline);
    runDueJobs();
    assertThat(approval(request).get("status").asText()).isEqualTo("EXPIRED");
    answer(channel, request, "alice", "approve", null);
    assertThat(refusalCodes(request)).containsExactly(Refusals.EXPIRED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "sms", "slack", "voice"})
  void anEscalationIsTakenAlike(String channel) {
    Pending request = requestApproval();
    answer(channel, request, "alice", "escalate", null);
    assertThat(refusalCodes(request)).isEmpty();
    answer(channel, request, "bob", "escalate", null);
    assertThat(refusalCodes(request)).containsExactly(Refusals.NOT_AN_APPROVER);
  }

  // --- the channels, as their senders post ---

  private void answer(String channel, Pending request, String user, String decision, String reason) {
    switch (channel) {
      case "api" -> client.postJson("/api/approvals/" + request.id + "/decision", basic(user, user + "-password"),
          JSON.createObjectNode().put("decision", decision).put("comment", reason).toString());
      case "sms" -> smsReply(PHONE.get(user), decision.toUpperCase() + " " + request.code + (reason == null ? "" : " " + reason));
      case "slack" -> {
        if ("reject".equals(decision)) {
          slackPost(viewSubmission(SLACK.get(user), request.id, reason));
        } else {
          slackPost(blockActions(SLACK.get(user), decision, request.id));
        }
      }
      case "voice" -> {
        String path = "/twilio/voice/gather?request=" + request.id + "&user=" + user;
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
        form.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
        form.put("Digits", switch (decision) {
          case "approve" -> "1";
          case "reject" -> "2";
          default -> "3";
        });
        client.postTwilio(path, form, FakeTwilio.sign(PUBLIC_URL + path, form));
      }
      case "tasklist" -> {
        String task = client.get("/engine-rest/task?processInstanceId=" + request.id, basic(user, user + "-password"))
            .body().path(0).path("id").asText();
        ObjectNode variables = JSON.createObjectNode();
        variables.putObject("decision").put("value", decision);
        variables.putObject("comment").put("value", reason == null ? "" : reason);
        ObjectNode body = JSON.createObjectNode();
        body.set("variables", variables);
        client.postJson("/engine-rest/task/" + task + "/submit-form", basic(user, user + "-password"), body.toString());
      }
      default -> throw new IllegalArgumentException(channel);
    }
  }

  private void slackPost(ObjectNode payload) {
    String body = "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
    String now = String.valueOf(Instant.now().getEpochSecond());
    client.send(client.request("/slack/interactivity", null).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", now).header("X-Slack-Signature", FakeSlack.sign(FakeSlack.SIGNING_SECRET, now, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static ObjectNode blockActions(String member, String actionId, String requestId) {
    ObjectNode payload = JSON.createObjectNode().put("type", "block_actions").put("trigger_id", "trigger-" + UUID.randomUUID());
    payload.putObject("team").put("id", FakeSlack.TEAM_ID);
    payload.putObject("user").put("id", member).put("team_id", FakeSlack.TEAM_ID);
    payload.putArray("actions").addObject().put("type", "button").put("action_id", actionId).put("block_id", "decide")
        .put("value", requestId);
    return payload;
  }

  private static ObjectNode viewSubmission(String member, String requestId, String reason) {
    ObjectNode payload = JSON.createObjectNode().put("type", "view_submission");
    payload.putObject("team").put("id", FakeSlack.TEAM_ID);
    payload.putObject("user").put("id", member).put("team_id", FakeSlack.TEAM_ID);
    ObjectNode view = payload.putObject("view").put("type", "modal").put("callback_id", "greenlight_reject")
        .put("private_metadata", requestId);
    view.putObject("state").putObject("values").putObject("reason").putObject("reason")
        .put("type", "plain_text_input").put("value", reason);
    return payload;
  }

  // --- what happened ---

  private Pending requestApproval() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def", "approver_group": "alice, octocat"}""".formatted(workflowId)).body();
    runDueJobs();
    return new Pending(created.get("id").asText(), created.get("code").asText());
  }

  /**
   * A second deploy of a gate (its own repository): the first, of the base commit, approved by bob; the second deploys
   * one commit more, written by {@code author}, which Greenlight looks up in GitHub.
   */
  private Pending requestApprovalOfAChangeBy(String author) {
    String repository = "acme/shop-" + UUID.randomUUID().toString().substring(0, 8);
    String base = UUID.randomUUID().toString().replace("-", "") + "00000000";
    String head = UUID.randomUUID().toString().replace("-", "") + "11111111";
    github.push(repository, List.of(
        new io.greenlight.testing.FakeGitHub.PushedCommit(base, "octocat", "Octocat", "octocat", "The deploy before"),
        new io.greenlight.testing.FakeGitHub.PushedCommit(head, author, "Author", author, "Fix the checkout total")));
    Pending first = requestDeploy("gh/" + repository, base, "bob");
    answer("api", first, "bob", "approve", null);
    runDueJobs();
    assertThat(approval(first).get("status").asText()).isEqualTo("APPROVED");
    return requestDeploy("gh/" + repository, head, "alice, octocat");
  }

  private Pending requestDeploy(String projectSlug, String commit, String approvers) {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", projectSlug);
    circleCi.triggeredBy(workflowId, "octocat", "main", commit);
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "%s", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "%s", "approver_group": "%s"}""".formatted(projectSlug, workflowId, commit, approvers)).body();
    runDueJobs();
    return new Pending(created.get("id").asText(), created.get("code").asText());
  }

  private JsonNode approval(Pending request) {
    return client.get("/api/approvals/" + request.id, basic("alice", "alice-password")).body();
  }

  /** The codes of the refused answers in the request's timeline, oldest first. */
  private List<String> refusalCodes(Pending request) {
    List<String> codes = new ArrayList<>();
    for (JsonNode entry : approval(request).get("timeline")) {
      Matcher code = REFUSAL_CODE.matcher(entry.path("detail").asText());
      if ("Answer refused".equals(entry.path("event").asText()) && code.find()) {
        codes.add(code.group(1));
      }
    }
    return codes;
  }

  private void assertRefusedOnly(Pending request, String code, String channel) {
    assertThat(refusalCodes(request)).as("refusals through " + channel).containsExactly(code);
    JsonNode now = approval(request);
    assertThat(now.get("status").asText()).isEqualTo("PENDING");
    assertThat(now.get("decisions")).isEmpty();
  }
}
