package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Approvers on their phones and in their mailboxes: SMS out through a fake Twilio, e-mail to a real SMTP
 * server, signed replies and delivery reports in, as Twilio sends them.
 */
class SmsAndEmailTest extends GreenlightApplicationTest {

  private static final String ALICE_PHONE = "+15551230001";

  @Autowired
  private JavaMailSender mailSender;

  @Test
  void aHungMailServerIsGivenUpOnRatherThanWaitedForForever() {
    // JavaMail waits forever by default; application.yaml sets the timeouts.
    assertThat(((JavaMailSenderImpl) mailSender).getJavaMailProperties())
        .containsEntry("mail.smtp.connectiontimeout", "5000")
        .containsEntry("mail.smtp.timeout", "20000")
        .containsEntry("mail.smtp.writetimeout", "20000");
  }

  @Test
  void anApproverGetsAnSmsAndAnEmailAndApprovesBySms() throws Exception {
    Pending request = requestApproval(null);

    FakeTwilio.Sent sms = twilio.messagesTo(ALICE_PHONE).get(0);
    assertThat(sms.authorization()).isEqualTo(basic(FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN));
    assertThat(sms.form()).containsEntry("From", FakeTwilio.FROM).containsEntry("To", ALICE_PHONE)
        .containsEntry("StatusCallback", PUBLIC_URL + "/twilio/status?request=" + request.id + "&user=alice");
    assertThat(sms.form().get("Body")).startsWith("Deploy approval: gh/acme/shop main abc1234 by octocat. Reply APPROVE "
        + request.code + " or REJECT " + request.code + " <reason>. Expires ");
    MimeMessage email = mailTo("alice@example.com");
    assertThat(email.getSubject()).isEqualTo("Deploy approval: gh/acme/shop main (code " + request.code + ")");
    assertThat(email.getContent().toString()).contains("Requested by: octocat")
        .contains(PUBLIC_URL + "/camunda/app/tasklist/default/#/?task=").contains(PUBLIC_URL + "/api/approvals/" + request.id);

    Answer reply = smsFrom("+1 (555) 123-0001", "approve " + request.code + " looks good", "SM-alice-1");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/xml");
    assertThat(reply.raw().body()).contains("<Response><Message><Body>Recorded: you approved gh/acme/shop main ("
        + request.code + "). CircleCI will be told.</Body></Message></Response>");
    assertThat(smsFrom(ALICE_PHONE, "approve " + request.code + " looks good", "SM-alice-1").raw().body())
        .isEqualTo(reply.raw().body());
    runDueJobs();

    JsonNode approved = client.get("/api/approvals/" + request.id, bearer(ACME_KEY)).body();
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.get("decisions")).hasSize(1);
    assertThat(approved.get("decisions").get(0).get("channel").asText()).isEqualTo("sms");
    assertThat(approved.get("decisions").get(0).get("comment").asText()).isEqualTo("looks good");
    assertThat(approved.get("notified").findValuesAsText("channel")).contains("sms", "email");
    assertThat(circleCi.requests("POST", "/approve/" + request.approvalRequestId)).hasSize(1)
        .allSatisfy(call -> assertThat(call.circleToken()).isEqualTo(FakeCircleCi.TOKEN));
  }

  @Test
  void aForgedOrMissingSignatureIsRefusedAndChangesNothing() {
    Pending request = requestApproval(null);
    Map<String, String> form = replyForm(ALICE_PHONE, "APPROVE " + request.code, "SM-forged");

    Answer forged = post("/twilio/sms", form, "d3Jvbmcgc2lnbmF0dXJl");
    Answer missing = post("/twilio/sms", form, null);
    Answer signedForTheLocalUrl = post("/twilio/sms", form, sign("http://127.0.0.1:" + port + "/twilio/sms", form));

    assertThat(List.of(forged.status(), missing.status(), signedForTheLocalUrl.status())).containsOnly(403);
    runDueJobs();
    JsonNode pending = client.get("/api/approvals/" + request.id, bearer(ACME_KEY)).body();
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("decisions")).isEmpty();
  }

  @Test
  void everyReplyIsAnsweredWithWhatWasRecordedOrWhyNot() {
    Pending request = requestApproval(null);
    String code = request.code;

    assertThat(answer("+15559999999", "APPROVE " + code)).contains("does not know this phone number");
    assertThat(answer(ALICE_PHONE, "what is this")).contains("did not understand");
    assertThat(answer(ALICE_PHONE, "APPROVE 99999999")).contains("No request has the code 99999999");
    assertThat(answer(ALICE_PHONE, "APPROVE " + code.substring(1))).contains("No request has the code " + code.substring(1));
    assertThat(answer("+15551230004", "APPROVE " + code)).contains("is not an approver of this request");
    assertThat(answer("+15551230003", "YES " + code)).contains("Nobody may approve their own deployment");
    assertThat(answer("+15551230002", "REJECT " + code)).contains("A rejection needs a reason.").contains("Reply REJECT " + code + " <reason>");
    assertThat(answer("+15551230004", "ESCALATE " + code)).contains("is not an approver of this request");
    assertThat(client.get("/api/approvals/" + request.id, bearer(ACME_KEY)).body().get("decisions")).isEmpty();

    assertThat(answer(ALICE_PHONE, "NO " + code + " wrong branch")).contains("Recorded: you rejected");
    assertThat(answer("+15551230002", "Y " + code)).contains("already decided by alice");
    runDueJobs();
    assertThat(answer("+15551230002", "Y " + code)).contains("The request is already rejected (decided by alice)");
  }

  @Test
  void anEscalateReplyAsksTheNextLevelAndThenThereIsNoneLeft() {
    Pending request = requestApproval(null);

    // The approvers have no rotation and no escalation group: everyone was asked at once.
    assertThat(answer(ALICE_PHONE, "ESCALATE " + request.code)).contains("(" + request.code + "), but there is nobody more to ask");
    assertThat(answer(ALICE_PHONE, "ESCALATE " + request.code)).contains("Everyone has been asked about").contains("(" + request.code + ") already");
  }

  @Test
  void anUndeliverableSmsToTheOnlyPersonAskedEscalatesAtOnce() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "approver_group": "night-shift"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();
    FakeTwilio.Sent toFrank = twilio.messagesTo("+15551230006").get(0);
    URI callback = URI.create(toFrank.form().get("StatusCallback"));
    String path = callback.getRawPath() + "?" + callback.getRawQuery();

    Map<String, String> undelivered = Map.of("MessageSid", toFrank.sid(), "MessageStatus", "undelivered", "ErrorCode", "30003");
    assertThat(post(path, undelivered, sign(PUBLIC_URL + path, undelivered)).status()).isEqualTo(204);
    runDueJobs();

    JsonNode escalated = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(escalated.get("escalation_level").asInt()).isEqualTo(3);
    assertThat(escalated.get("escalated_to").asText()).isEqualTo("release-managers");
    assertThat(twilio.messagesTo("+15551230002")).hasSize(1); // bob, of the release managers

    // The escalation group may answer now; this also leaves frank with no pending request for other tests.
    assertThat(client.postJson("/api/approvals/" + id + "/decision", basic("bob", "bob-password"), "{\"decision\": \"approve\"}")
        .status()).isEqualTo(200);
  }

  @Test
  void aReplyWithoutACodeAnswersTheSendersOnlyPendingRequest() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "approver_group": "night-shift"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();

    assertThat(answer("+15551230006", "yes")).contains("Recorded: you approved gh/acme/shop");

    assertThat(answer("+15551230006", "yes")).contains("no pending request");
    assertThat(client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().get("decisions").get(0).get("user").asText())
        .isEqualTo("frank");
  }

  @Test
  void twoApproversAnsweringAtTheSameMomentGiveOneDecision() throws Exception {
    Pending request = requestApproval(null);
    CountDownLatch start = new CountDownLatch(1);

    CompletableFuture<String> alice = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> answer(ALICE_PHONE, "APPROVE " + request.code)));
    CompletableFuture<String> bob = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> answer("+15551230002", "APPROVE " + request.code)));
    start.countDown();
    List<String> answers = List.of(alice.get(), bob.get());

    assertThat(answers).filteredOn(answer -> answer.startsWith("Recorded")).hasSize(1);
    String winner = answers.get(0).startsWith("Recorded") ? "alice" : "bob";
    assertThat(answers).filteredOn(answer -> !answer.startsWith("Recorded")).singleElement().asString()
        .contains("already decided by " + winner);
    runDueJobs();
    assertThat(client.get("/api/approvals/" + request.id, bearer(ACME_KEY)).body().get("decisions")).hasSize(1);
    assertThat(circleCi.requests("POST", "/approve/")).hasSize(1);
  }

  @Test
  void twoApprovalsAtTheSameMomentBothCountTowardsAQuorumOfTwo() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", "gh/acme/payments");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/payments", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main"}""".formatted(workflowId)).body();
    runDueJobs();
    String code = created.get("code").asText();
    CountDownLatch start = new CountDownLatch(1);

    CompletableFuture<String> alice = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> answer(ALICE_PHONE, "APPROVE " + code)));
    CompletableFuture<String> bob = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> answer("+15551230002", "APPROVE " + code)));
    start.countDown();

    assertThat(List.of(alice.get(), bob.get())).allSatisfy(answer -> assertThat(answer).startsWith("Recorded: you approved"));
    runDueJobs();
    JsonNode approved = client.get("/api/approvals/" + created.get("id").asText(), bearer(ACME_KEY)).body();
    assertThat(approved.get("required_approvals").asInt()).isEqualTo(2);
    assertThat(approved.get("decisions").findValuesAsText("user")).containsExactlyInAnyOrder("alice", "bob");
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/approve/")).hasSize(1);
  }

  @Test
  void deliveryReportsLandInTheNotificationTheyAreAbout() {
    Pending request = requestApproval(null);
    FakeTwilio.Sent sms = twilio.messagesTo(ALICE_PHONE).get(0);
    URI callback = URI.create(sms.form().get("StatusCallback"));
    String path = callback.getRawPath() + "?" + callback.getRawQuery();

    Map<String, String> delivered = Map.of("MessageSid", sms.sid(), "MessageStatus", "delivered", "AccountSid", FakeTwilio.ACCOUNT_SID);
    assertThat(post(path, delivered, sign(PUBLIC_URL + path, delivered)).status()).isEqualTo(204);
    assertThat(smsNotification(request, "alice").get("status").asText()).isEqualTo("delivered");

    Map<String, String> forged = Map.of("MessageSid", sms.sid(), "MessageStatus", "failed", "ErrorCode", "30008");
    assertThat(post(path, forged, "bm90IFR3aWxpbw==").status()).isEqualTo(403);
    assertThat(smsNotification(request, "alice").get("status").asText()).isEqualTo("delivered");

    Map<String, String> lateSent = Map.of("MessageSid", sms.sid(), "MessageStatus", "sent");
    assertThat(post(path, lateSent, sign(PUBLIC_URL + path, lateSent)).status()).isEqualTo(204);
    assertThat(smsNotification(request, "alice").get("status").asText()).isEqualTo("delivered");

    Map<String, String> undelivered = Map.of("MessageSid", sms.sid(), "MessageStatus", "undelivered", "ErrorCode", "30003");
    assertThat(post(path, undelivered, sign(PUBLIC_URL + path, undelivered)).status()).isEqualTo(204);

    JsonNode notification = smsNotification(request, "alice");
    assertThat(notification.get("status").asText()).isEqualTo("undelivered");
    assertThat(notification.get("detail").asText()).isEqualTo("Twilio error 30003");
    assertThat(notification.get("reference").asText()).isEqualTo(sms.sid());
  }

  /** Finding 9: the final "delivered" often comes after the answer ended the request; every Twilio status is taken. */
  @Test
  void aDeliveryReportAfterTheRequestEndedIsRecordedAndEveryStatusIsTaken() {
    Pending request = requestApproval(null);
    FakeTwilio.Sent sms = twilio.messagesTo(ALICE_PHONE).get(0);
    URI callback = URI.create(sms.form().get("StatusCallback"));
    String path = callback.getRawPath() + "?" + callback.getRawQuery();
    assertThat(answer(ALICE_PHONE, "APPROVE " + request.code)).contains("Recorded");
    runDueJobs();
    assertThat(client.get("/api/approvals/" + request.id, bearer(ACME_KEY)).body().get("status").asText()).isEqualTo("APPROVED");

    for (String status : List.of("scheduled", "receiving", "received", "partially_delivered", "delivered")) {
      Map<String, String> report = Map.of("MessageSid", sms.sid(), "MessageStatus", status, "AccountSid", FakeTwilio.ACCOUNT_SID);
      assertThat(post(path, report, sign(PUBLIC_URL + path, report)).status()).as(status).isEqualTo(204);
    }
    assertThat(smsNotification(request, "alice").get("status").asText()).isEqualTo("delivered");
  }

  @Test
  void aNumberTwilioRefusesIsRecordedAndTheEmailStillGoesOut() throws Exception {
    runDueJobs(); // so that the refusal meets this request's first SMS, not another request's message
    twilio.failNext(400);
    Pending request = requestApproval("engineering");

    JsonNode pending = client.get("/api/approvals/" + request.id, basic("alice", "alice-password")).body();
    List<String> smsStatuses = pending.get("notified").findParents("channel").stream()
        .filter(entry -> entry.get("channel").asText().equals("sms")).map(entry -> entry.get("status").asText()).toList();
    assertThat(smsStatuses).contains("failed");
    assertThat(mail.getReceivedMessages().length).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anSmsReplyArrivingWhileTheRequestIsSetUpWaitsForItAndIsRecorded() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId)).body();
    String code = created.get("code").asText();

    CompletableFuture<String> early = CompletableFuture.supplyAsync(() -> answer(ALICE_PHONE, "YES " + code));
    Thread.sleep(500);
    assertThat(early).isNotDone();
    for (String step : List.of("FindGate", "Route")) {
      management.executeJob(management.createJobQuery().processInstanceId(created.get("id").asText()).activityId(step)
          .singleResult().getId());
    }

    assertThat(early.get(15, java.util.concurrent.TimeUnit.SECONDS)).startsWith("Recorded: you approved gh/acme/shop main");
    runDueJobs();
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).hasSize(1);
  }

  private record Pending(String id, String code, String approvalRequestId) {}

  /** A request waiting at the decision, its SMS and e-mail sent. */
  private Pending requestApproval(String summary) {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def" %s}
        """.formatted(workflowId, summary == null ? "" : ", \"summary\": \"" + summary + "\"")).body();
    runDueJobs();
    return new Pending(created.get("id").asText(), created.get("code").asText(), approvalRequestId);
  }

  private String answer(String from, String body) {
    String xml = smsFrom(from, body, "SM" + UUID.randomUUID().toString().replace("-", "")).raw().body();
    return xml.replaceAll(".*<Body>(.*)</Body>.*", "$1").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">");
  }

  private Answer smsFrom(String from, String body, String messageSid) {
    Map<String, String> form = replyForm(from, body, messageSid);
    return post("/twilio/sms", form, sign(PUBLIC_URL + "/twilio/sms", form));
  }

  private static Map<String, String> replyForm(String from, String body, String messageSid) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", messageSid);
    form.put("SmsSid", messageSid);
    form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
    form.put("From", from);
    form.put("To", FakeTwilio.FROM);
    form.put("Body", body);
    form.put("NumMedia", "0");
    form.put("NumSegments", "1");
    return form;
  }

  private Answer post(String pathAndQuery, Map<String, String> form, String signature) {
    return client.postTwilio(pathAndQuery, form, signature);
  }

  private static String sign(String url, Map<String, String> form) {
    return FakeTwilio.sign(url, form);
  }

  private JsonNode smsNotification(Pending request, String user) {
    return client.get("/api/approvals/" + request.id, bearer(ACME_KEY)).body().get("notified").findParents("channel").stream()
        .filter(entry -> entry.get("channel").asText().equals("sms") && entry.get("user").asText().equals(user))
        .findFirst().orElseThrow();
  }

  private static MimeMessage mailTo(String address) throws Exception {
    for (MimeMessage message : mail.getReceivedMessages()) {
      if (message.getAllRecipients()[0].toString().equals(address)) {
        return message;
      }
    }
    throw new AssertionError("No e-mail to " + address);
  }

  private static <T> T awaitThen(CountDownLatch latch, java.util.function.Supplier<T> work) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return work.get();
  }
}
