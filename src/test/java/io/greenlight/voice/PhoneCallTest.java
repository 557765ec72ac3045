package io.greenlight.voice;

import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Approvers called on their phone: frank (night shift, voice) is asked first; the night shift escalates to the release
 * managers, where bob (voice) is called. Twilio's calls go to a fake Twilio; what Twilio posts back when a key is pressed
 * or a call ends is posted here as Twilio signs it.
 */
class PhoneCallTest extends GreenlightApplicationTest {

  private static final String FRANK = "+15551230006";
  private static final String BOB = "+15551230002";

  @Test
  void bobIsCalledAtTheEscalationLevelAndApprovesByPressingOne() {
    Pending request = requestApproval();
    assertThat(twilio.calls()).as("frank is asked on call: that level does not call").isEmpty();

    assertThat(press(request.id, "frank", "3", null).raw().body()).contains("Escalated: bob is being asked about gh/acme/shop, branch main.");
    runDueJobs();

    FakeTwilio.Sent call = onlyCallTo(BOB);
    assertThat(call.form()).containsEntry("From", FakeTwilio.FROM)
        .containsEntry("StatusCallback", PUBLIC_URL + "/twilio/voice/status?request=" + request.id + "&user=bob");
    assertThat(call.form().get("Twiml")).contains("octocat asks to deploy gh/acme/shop, branch main, commit a b c 1 2 3 4.",
        "Press 1 to approve, 2 to reject, 3 to escalate.",
        "action=\"" + PUBLIC_URL + "/twilio/voice/gather?request=" + request.id + "&amp;user=bob\"");
    assertThat(notified(request.id, "voice")).singleElement()
        .satisfies(entry -> assertThat(entry.get("reference").asText()).isEqualTo(call.sid()));

    Answer pressed = press(request.id, "bob", "1", null);
    assertThat(pressed.status()).isEqualTo(200);
    assertThat(pressed.raw().body()).contains("<Say>Recorded: you approved gh/acme/shop, branch main. CircleCI will be told. Goodbye.</Say>")
        .contains("<Hangup/>");
    runDueJobs();

    JsonNode approved = approval(request.id);
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions")).singleElement().satisfies(decision -> {
      assertThat(decision.get("user").asText()).isEqualTo("bob");
      assertThat(decision.get("channel").asText()).isEqualTo("voice");
    });
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1);
    assertThat(twilio.callsTo(FRANK)).isEmpty();

    assertThat(press(request.id, "bob", "1", null).raw().body()).contains("Nothing was recorded");
    runDueJobs();
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1);
  }

  @Test
  void pressingTwoRejectsWithTheReasonRejectedByPhoneAndALatePressIsToldWhoDecided() {
    Pending request = requestApproval();

    assertThat(press(request.id, "frank", "2", null).raw().body())
        .contains("Recorded: you rejected gh/acme/shop, branch main. The workflow will be cancelled.");
    runDueJobs();

    JsonNode rejected = approval(request.id);
    assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
    assertThat(rejected.get("decisions").get(0).get("comment").asText()).isEqualTo("rejected by phone");
    assertThat(rejected.get("decisions").get(0).get("channel").asText()).isEqualTo("voice");
    assertThat(circleCi.requests("POST", "/workflow/" + request.workflowId + "/cancel")).hasSize(1);

    assertThat(press(request.id, "frank", "1", null).raw().body()).contains("frank").contains("Nothing was recorded");
    assertThat(approval(request.id).get("decisions")).hasSize(1);
  }

  @Test
  void aKeyThatMeansNothingAsksOnceMoreThenTheCallEnds() {
    Pending request = requestApproval();

    String again = press(request.id, "frank", "9", null).raw().body();
    assertThat(again).contains("The key 9 means nothing here.", "Press 1 to approve",
        "action=\"" + PUBLIC_URL + "/twilio/voice/gather?request=" + request.id + "&amp;user=frank&amp;attempt=2\"",
        "No answer was recorded. Goodbye.", "<Hangup/>");
    assertThat(press(request.id, "frank", null, null).raw().body()).contains("No key was pressed.");

    String ended = press(request.id, "frank", "#", "2").raw().body();
    assertThat(ended).contains("No answer was recorded. Goodbye.").contains("<Hangup/>").doesNotContain("<Gather");
    assertThat(approval(request.id).get("decisions")).isEmpty();
    assertThat(approval(request.id).get("status").asText()).isEqualTo("PENDING");
  }

  @Test
  void anSmsNotDeliveredGetsACallAndACallNobodyTakesIsRecordedAsNotReached() {
    Pending request = requestApproval();
    String sms = twilio.messagesTo(FRANK).get(0).sid();

    Map<String, String> report = new LinkedHashMap<>(Map.of("MessageSid", sms, "MessageStatus", "undelivered",
        "ErrorCode", "30003", "AccountSid", FakeTwilio.ACCOUNT_SID));
    String statusUrl = "/twilio/status?request=" + request.id + "&user=frank";
    assertThat(client.postTwilio(statusUrl, report, FakeTwilio.sign(PUBLIC_URL + statusUrl, report)).status()).isEqualTo(204);
    runDueJobs();

    FakeTwilio.Sent toFrank = onlyCallTo(FRANK);
    assertThat(onlyCallTo(BOB)).as("frank was the only one asked: the release managers are asked at once").isNotNull();

    Map<String, String> noAnswer = new LinkedHashMap<>(Map.of("CallSid", toFrank.sid(), "CallStatus", "no-answer",
        "AccountSid", FakeTwilio.ACCOUNT_SID, "To", FRANK, "From", FakeTwilio.FROM));
    String callStatusUrl = "/twilio/voice/status?request=" + request.id + "&user=frank";
    assertThat(client.postTwilio(callStatusUrl, noAnswer, FakeTwilio.sign(PUBLIC_URL + callStatusUrl, noAnswer)).status())
        .isEqualTo(204);

    assertThat(notified(request.id, "voice")).filteredOn(entry -> entry.get("user").asText().equals("frank")).singleElement()
        .satisfies(entry -> {
          assertThat(entry.get("status").asText()).isEqualTo("no-answer");
          assertThat(entry.get("detail").asText()).contains("no-answer");
        });
  }

  /** Finding 7: a second Digits appended after the signed one would be read by nobody's signature. */
  @Test
  void aRepeatedFieldAppendedToASignedFormIsRefused() {
    Pending request = requestApproval();
    String path = "/twilio/voice/gather?request=" + request.id + "&user=frank";
    Map<String, String> signedForm = callForm("9");
    String signature = FakeTwilio.sign(PUBLIC_URL + path, signedForm);
    String body = signedForm.entrySet().stream()
        .map(field -> field.getKey() + "=" + java.net.URLEncoder.encode(field.getValue(), java.nio.charset.StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("&")) + "&Digits=1";

    Answer refused = client.send(client.request(path, null).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("error").asText()).isEqualTo("repeated_parameter");
    assertThat(approval(request.id).get("decisions")).isEmpty();
  }

  /** Finding 9: the call that decided reports "completed" after the request ended; the API shows it. */
  @Test
  void aCallStatusReportedAfterTheRequestEndedIsRecorded() {
    Pending request = requestApproval();
    press(request.id, "frank", "3", null);
    runDueJobs();
    FakeTwilio.Sent call = onlyCallTo(BOB);
    press(request.id, "bob", "1", null);
    runDueJobs();
    assertThat(approval(request.id).get("status").asText()).isEqualTo("APPROVED");

    String statusPath = "/twilio/voice/status?request=" + request.id + "&user=bob";
    Map<String, String> completed = Map.of("CallSid", call.sid(), "CallStatus", "completed", "AccountSid", FakeTwilio.ACCOUNT_SID);
    assertThat(client.postTwilio(statusPath, completed, FakeTwilio.sign(PUBLIC_URL + statusPath, completed)).status()).isEqualTo(204);
    Map<String, String> lateRinging = Map.of("CallSid", call.sid(), "CallStatus", "ringing", "AccountSid", FakeTwilio.ACCOUNT_SID);
    assertThat(client.postTwilio(statusPath, lateRinging, FakeTwilio.sign(PUBLIC_URL + statusPath, lateRinging)).status()).isEqualTo(204);

    assertThat(notified(request.id, "voice")).singleElement()
        .satisfies(entry -> assertThat(entry.get("status").asText()).isEqualTo("completed"));
  }

  @Test
  void forgedRequestsChangeNothing() {
    Pending request = requestApproval();
    String path = "/twilio/voice/gather?request=" + request.id + "&user=frank";
    Map<String, String> form = callForm("1");

    List<Answer> refused = List.of(
        client.postTwilio(path, form, null),
        client.postTwilio(path, form, FakeTwilio.sign("not-the-auth-token", PUBLIC_URL + path, form)),
        client.postTwilio(path, form, FakeTwilio.sign(PUBLIC_URL + path.replace("frank", "bob"), form)),
        client.postTwilio(path, callForm("2"), FakeTwilio.sign(PUBLIC_URL + path, form)));

    assertThat(refused).allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.body().get("error").asText()).isEqualTo("invalid_signature");
    });
    Map<String, String> status = new LinkedHashMap<>(Map.of("CallSid", "CA" + "0".repeat(32), "CallStatus", "busy"));
    String statusPath = "/twilio/voice/status?request=" + request.id + "&user=frank";
    assertThat(client.postTwilio(statusPath, status, "forged").status()).isEqualTo(403);

    JsonNode untouched = approval(request.id);
    assertThat(untouched.get("status").asText()).isEqualTo("PENDING");
    assertThat(untouched.get("decisions")).isEmpty();
    assertThat(twilio.calls()).isEmpty();

    Answer unknownRequest = client.postTwilio("/twilio/voice/gather?request=nonsense&user=frank", form,
        FakeTwilio.sign(PUBLIC_URL + "/twilio/voice/gather?request=nonsense&user=frank", form));
    assertThat(unknownRequest.status()).isEqualTo(400);
  }

  // --- as Twilio posts ---

  /** The key {@code digits} (none when null) pressed on the call to {@code user}, as Twilio posts it to the gather URL. */
  private Answer press(String requestId, String user, String digits, String attempt) {
    String path = "/twilio/voice/gather?request=" + requestId + "&user=" + user + (attempt == null ? "" : "&attempt=" + attempt);
    Map<String, String> form = callForm(digits);
    return client.postTwilio(path, form, FakeTwilio.sign(PUBLIC_URL + path, form));
  }

  private static Map<String, String> callForm(String digits) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
    form.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
    form.put("CallStatus", "in-progress");
    form.put("Direction", "outbound-api");
    form.put("From", FakeTwilio.FROM);
    form.put("To", FRANK);
    if (digits != null) {
      form.put("Digits", digits);
    }
    return form;
  }

  // --- what happened ---

  private record Pending(String id, String workflowId, String approvalRequestId) {}

  @AfterEach
  void endTheRequestsStillPending() {
    // The application and its database outlive this class: frank's and bob's pending requests would be theirs in the next.
    started.forEach(id -> {
      if (runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0) {
        runtime.deleteProcessInstance(id, "the test is over");
      }
    });
    started.clear();
  }

  private final List<String> started = new java.util.ArrayList<>();

  @Autowired
  private RuntimeService runtime;

  private Pending requestApproval() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold", "gh/acme/shop");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def", "approver_group": "night-shift"}""".formatted(workflowId)).body();
    started.add(created.get("id").asText());
    runDueJobs();
    return new Pending(created.get("id").asText(), workflowId, approvalRequestId);
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
  }

  private List<JsonNode> notified(String id, String channel) {
    List<JsonNode> entries = new java.util.ArrayList<>();
    approval(id).get("notified").forEach(entry -> {
      if (channel.equals(entry.get("channel").asText())) {
        entries.add(entry);
      }
    });
    return entries;
  }

  private static FakeTwilio.Sent onlyCallTo(String number) {
    List<FakeTwilio.Sent> calls = twilio.callsTo(number);
    assertThat(calls).as("calls to " + number).hasSize(1);
    return calls.get(0);
  }
}
