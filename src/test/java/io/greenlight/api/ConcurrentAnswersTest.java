package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Answers racing on one request: approvals and rejections by SMS, in Tasklist and through the API, all released at the
 * same instant. However they interleave, exactly one answer is recorded, exactly one CircleCI call carries it out, and
 * every other answer on the API and by SMS is told who decided. Pipelines racing on one gate get one request.
 */
class ConcurrentAnswersTest extends GreenlightApplicationTest {

  private static final int ROUNDS = 5;
  private static final String TASKLIST_API = "/camunda/api/engine/engine/default";
  private static final Map<String, String> PHONES = Map.of("alice", "+15551230001", "bob", "+15551230002");

  /** What an answer got back, and on which channel. */
  private record Outcome(String channel, String user, int status, String text) {}

  @Test
  void manyAnswersAtTheSameInstantGiveOneDecisionAndOneCircleCiCall() throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      String workflowId = UUID.randomUUID().toString();
      circleCi.workflowOnHold(workflowId, "hold");
      JsonNode created = client.postJson("/api/approvals", bearer(ACME_KEY), """
          {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat", "branch": "main"}
          """.formatted(workflowId)).body();
      String id = created.get("id").asText();
      String code = created.get("code").asText();
      runDueJobs();
      String taskId = client.get("/engine-rest/task?processInstanceId=" + id, basic("alice", "alice-password")).body().get(0).get("id").asText();

      List<Callable<Outcome>> answers = new ArrayList<>();
      for (String user : List.of("alice", "bob")) {
        for (int i = 0; i < 4; i++) {
          boolean approve = (i + round) % 3 != 0;
          answers.add(viaApi(id, user, approve));
          answers.add(bySms(code, user, approve));
          answers.add(inTasklist(taskId, user, approve));
        }
      }
      List<Outcome> outcomes = allAtOnce(answers);
      runDueJobs();

      JsonNode request = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
      assertThat(request.get("decisions")).as("round %d: %s", round, outcomes).hasSize(1);
      JsonNode decision = request.get("decisions").get(0);
      String winner = decision.get("user").asText();
      boolean approved = "approve".equals(decision.get("decision").asText());
      assertThat(request.get("status").asText()).isEqualTo(approved ? "APPROVED" : "REJECTED");
      assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/")).singleElement()
          .satisfies(call -> assertThat(call.path()).contains(approved ? "/approve/" : "/cancel"));

      assertThat(outcomes).filteredOn(ConcurrentAnswersTest::recorded).as("answers recorded").hasSize(1);
      for (Outcome loser : outcomes.stream().filter(outcome -> !recorded(outcome)).toList()) {
        switch (loser.channel()) {
          case "api" -> assertThat(loser.status()).as("%s", loser).isEqualTo(409);
          case "sms" -> assertThat(loser.status()).as("every SMS is answered: %s", loser).isEqualTo(200);
          default -> assertThat(loser.status()).as("%s", loser).isBetween(400, 499);
        }
        if (!"tasklist".equals(loser.channel())) {
          // Tasklist shows Camunda's own message; the API and SMS say who decided.
          assertThat(loser.text()).as("%s", loser).contains("already decided").contains(winner);
        }
      }
    }
  }

  @Test
  void pipelinesRacingOnOneGateGetOneRequest() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String body = """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId);
    List<Callable<Outcome>> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(() -> {
        Answer answer = new GreenlightTestClient(port).postJson("/api/approvals", bearer(ACME_KEY), body);
        return new Outcome("api", "ci", answer.status(), answer.body().get("id").asText());
      });
    }

    List<Outcome> outcomes = allAtOnce(requests);

    assertThat(outcomes).filteredOn(outcome -> outcome.status() == 201).hasSize(1);
    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.status()).isIn(200, 201));
    assertThat(outcomes.stream().map(Outcome::text).distinct()).hasSize(1);
    JsonNode instances = client.get("/engine-rest/process-instance?businessKey=gh/acme/shop/" + workflowId + "/hold",
        basic("admin", "test-admin-password")).body();
    assertThat(instances).hasSize(1);
  }

  private static boolean recorded(Outcome outcome) {
    return switch (outcome.channel()) {
      case "api" -> outcome.status() == 200;
      case "sms" -> outcome.text().startsWith("Recorded:");
      default -> outcome.status() == 204;
    };
  }

  private Callable<Outcome> viaApi(String id, String user, boolean approve) {
    GreenlightTestClient api = new GreenlightTestClient(port);
    String answer = approve ? "{\"decision\": \"approve\"}" : "{\"decision\": \"reject\", \"comment\": \"not now\"}";
    return () -> {
      Answer decided = api.postJson("/api/approvals/" + id + "/decision", basic(user, user + "-password"), answer);
      return new Outcome("api", user, decided.status(), decided.body() == null ? decided.raw().body() : decided.body().path("message").asText());
    };
  }

  private Callable<Outcome> bySms(String code, String user, boolean approve) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("From", PHONES.get(user));
    form.put("Body", approve ? "APPROVE " + code : "REJECT " + code + " not now");
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    GreenlightTestClient twilioWebhook = new GreenlightTestClient(port);
    String signature = FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", form);
    return () -> {
      Answer reply = twilioWebhook.postTwilio("/twilio/sms", form, signature);
      return new Outcome("sms", user, reply.status(), reply.raw().body().replaceAll(".*<Body>(.*)</Body>.*", "$1"));
    };
  }

  /** Logged in beforehand, as a person whose Tasklist is open; only the submit races. */
  private Callable<Outcome> inTasklist(String taskId, String user, boolean approve) {
    GreenlightTestClient browser = new GreenlightTestClient(port);
    String xsrf = browser.webappLogin("tasklist", user, user + "-password");
    String variables = approve ? "{\"decision\": {\"value\": \"approve\"}}"
        : "{\"decision\": {\"value\": \"reject\"}, \"comment\": {\"value\": \"not now\"}}";
    HttpRequest submit = browser.request(TASKLIST_API + "/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
        .POST(HttpRequest.BodyPublishers.ofString("{\"variables\": " + variables + "}")).build();
    return () -> {
      Answer submitted = browser.send(submit);
      return new Outcome("tasklist", user, submitted.status(), submitted.raw().body());
    };
  }

  private static <T> List<T> allAtOnce(List<Callable<T>> calls) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(calls.size());
    try {
      CountDownLatch ready = new CountDownLatch(calls.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(threads.submit(() -> {
          ready.countDown();
          go.await();
          return call.call();
        }));
      }
      ready.await();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }
}
