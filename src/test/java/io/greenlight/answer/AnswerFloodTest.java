package io.greenlight.answer;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.RawHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Findings 2 and 3 of the third attack: answers to a request still being set up, from people who may not answer it — a
 * directory user who is not a candidate, and phone numbers the directory does not know — are refused at once, never kept
 * waiting for the request; so a flood of them does not hold the server's threads, and health checks and other people's
 * answers go on being served. Bounded (500 answers, each over in seconds) and on loopback only.
 */
class AnswerFloodTest extends GreenlightApplicationTest {

  private static final int FLOOD = 250;
  /** A proxy the tests trust (greenlight.web.trusted-proxies): each answer of the flood comes from a client of its own. */
  private static final String FLOODER = "127.0.0.3";

  @Test
  void aFloodOfAnswersThatMayNotWaitLeavesHealthAndOtherAnswersFast() throws Exception {
    String bystanderWorkflow = UUID.randomUUID().toString();
    circleCi.workflowOnHold(bystanderWorkflow, "hold");
    String bystander = client.postJson("/api/approvals", bearer(ACME_KEY), request(bystanderWorkflow)).body().get("id").asText();
    runDueJobs();
    // Job executor off and no job run after it: this request stays in "finding the gate", where an answer would wait.
    JsonNode settingUp = client.postJson("/api/approvals", bearer(ACME_KEY), request(UUID.randomUUID().toString())).body();
    String settingUpId = settingUp.get("id").asText();
    String code = settingUp.get("code").asText();
    assertThat(client.get("/api/approvals/" + settingUpId, bearer(ACME_KEY)).body().get("stage").asText()).isEqualTo("finding_gate");

    // Through a trusted proxy, each from a client address of its own (a documentation range: a header, no traffic), so
    // the limits per client address do not stop them: the answer path alone must keep them cheap.
    ExecutorService senders = Executors.newFixedThreadPool(2 * FLOOD);
    List<Future<Timed>> flood = new ArrayList<>();
    for (int i = 0; i < FLOOD; i++) {
      String apiClient = client(2 * i);
      String smsClient = client(2 * i + 1);
      flood.add(senders.submit(() -> timed(() -> RawHttp.post(FLOODER, port, "/api/approvals/" + settingUpId + "/decision",
          Map.of("Authorization", basic("dave", "dave-password"), "Content-Type", "application/json",
              "X-Forwarded-For", apiClient),
          "{\"decision\": \"approve\"}"))));
      Map<String, String> sms = new LinkedHashMap<>();
      sms.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
      sms.put("AccountSid", FakeTwilio.ACCOUNT_SID);
      sms.put("From", String.format("+1555900%04d", i));
      sms.put("To", FakeTwilio.FROM);
      sms.put("Body", "APPROVE " + code);
      String form = sms.entrySet().stream().map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
      String signature = FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", sms);
      flood.add(senders.submit(() -> timed(() -> RawHttp.post(FLOODER, port, "/twilio/sms",
          Map.of("X-Twilio-Signature", signature, "Content-Type", "application/x-www-form-urlencoded",
              "X-Forwarded-For", smsClient), form))));
    }
    Thread.sleep(300); // the flood is arriving

    long started = System.nanoTime();
    assertThat(client.get("/actuator/health", null).status()).isEqualTo(200);
    Duration health = Duration.ofNanos(System.nanoTime() - started);
    started = System.nanoTime();
    int approved = client.postJson("/api/approvals/" + bystander + "/decision", basic("alice", "alice-password"),
        "{\"decision\": \"approve\"}").status();
    Duration bystanderAnswer = Duration.ofNanos(System.nanoTime() - started);

    List<RawHttp.Response> answers = new ArrayList<>();
    List<Duration> took = new ArrayList<>();
    for (Future<Timed> answer : flood) {
      Timed timed = answer.get(90, TimeUnit.SECONDS);
      answers.add(timed.response());
      took.add(timed.took());
    }
    senders.shutdownNow();
    took.sort(null);
    System.out.printf("During a flood of %d answers that may not wait: health %d ms, a bystander's approval %d ms (%d); the "
            + "flood's answers took %d ms at the median, %d ms at most%n", 2 * FLOOD, health.toMillis(), bystanderAnswer.toMillis(),
        approved, took.get(took.size() / 2).toMillis(), took.get(took.size() - 1).toMillis());
    assertThat(approved).isEqualTo(200);
    assertThat(health).as("health during the flood").isLessThan(Duration.ofSeconds(1));
    assertThat(bystanderAnswer).as("a bystander's approval during the flood").isLessThan(Duration.ofSeconds(2));
    // None of the flood waited for the request (10 s, the setting-up wait): each was refused by the answer path at once,
    // or turned away by the limits per client before it (503 busy).
    assertThat(took.get(took.size() / 2)).as("the median answer of the flood").isLessThan(Duration.ofSeconds(5));
    long refusedByTheAnswerPath = answers.stream().filter(answer -> answer.body().contains("\"not_an_approver\"")
        || answer.body().contains("\"too_many_refused_answers\"") || answer.body().contains("does not know this phone number")).count();
    assertThat(refusedByTheAnswerPath).as("answers that reached the answer path and were refused there").isGreaterThan(FLOOD);
    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isIn(200, 403, 429, 503));
    JsonNode untouched = client.get("/api/approvals/" + settingUpId, bearer(ACME_KEY)).body();
    assertThat(untouched.get("decisions")).isEmpty();
  }

  private static String client(int number) {
    return "198.51." + (100 + number / 250) + "." + (number % 250 + 1);
  }

  private record Timed(RawHttp.Response response, Duration took) {}

  private interface Call {
    RawHttp.Response send() throws Exception;
  }

  private static Timed timed(Call call) throws Exception {
    long started = System.nanoTime();
    RawHttp.Response response = call.send();
    return new Timed(response, Duration.ofNanos(System.nanoTime() - started));
  }

  private static String request(String workflowId) {
    return """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def", "approver_group": "alice"}""".formatted(workflowId);
  }
}
