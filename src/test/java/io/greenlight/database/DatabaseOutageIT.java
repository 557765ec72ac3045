package io.greenlight.database;

import static io.greenlight.testing.GreenlightProcess.awaitUntil;
import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.testing.CuttableLink;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightProcess;
import io.greenlight.testing.GreenlightTestClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Greenlight (the packaged jar, postgres profile) reaches PostgreSQL through a TCP link the test cuts. First a silent
 * cut (blackhole: what a real network cut looks like) while a CircleCI approve job is in the middle of its call; then a
 * loud one (every connection reset, new ones refused). During the cuts every call is answered within seconds: the API
 * and the login path 503 with Retry-After, Twilio's SMS webhook a TwiML reply asking to send the answer again;
 * readiness is DOWN and liveness UP. Afterwards, without a restart, answers are taken again, the job that died with the
 * link runs again within a minute, and CircleCI is told once per request. The node logs one warning when the database
 * goes and one when it returns. The figures go to {@code target/database-outage.txt}. Skipped, saying so, without
 * PostgreSQL.
 */
class DatabaseOutageIT {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String KEY = "outage-key-0123456789abcdef";
  private static final String ALICE_PHONE = "+15551230001";
  private static final String BOB_PHONE = "+15551230002";
  private static final Duration BLACKHOLE = Duration.ofSeconds(30);
  /** Each call during the cut is given this long (the unfixed server took 30 s and more). */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);
  private static final String SCHEMA = "greenlight_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  private static FakeCircleCi circleCi;
  private static FakeTwilio twilio;
  private static CuttableLink link;
  private static GreenlightProcess node;
  private static int port;
  /** Lines of target/database-outage.log before this run's node started (runs append to it). */
  private static long logStart;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, String> figures = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(postgresReachable(),
        "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): the outage test is skipped");
    sql("create schema " + SCHEMA);
    circleCi = new FakeCircleCi();
    twilio = new FakeTwilio();
    link = new CuttableLink(5432);
    Path directory = Files.writeString(Files.createTempFile("outage-directory", ".yaml"), """
        users:
          - { id: alice, email: alice@example.com, phone: "%s", password: alice-password, groups: [approvers] }
          - { id: bob, email: bob@example.com, phone: "%s", password: bob-password, groups: [approvers] }
        groups:
          - id: approvers
        api-clients:
          - { id: ci, key: %s, projects: ["gh/acme/*"] }
        """.formatted(ALICE_PHONE, BOB_PHONE, KEY));
    port = GreenlightProcess.freePort();
    Path log = Path.of("target", "database-outage.log");
    logStart = Files.exists(log) ? Files.readAllLines(log).size() : 0;
    node = GreenlightProcess.start("database-outage", port, List.of(
        "--spring.profiles.active=postgres",
        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + link.port() + "/test?currentSchema=" + SCHEMA,
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=",
        "--camunda.bpm.database.schema-name=" + SCHEMA,
        "--camunda.bpm.database.table-prefix=" + SCHEMA + ".",
        "--greenlight.directory-file=" + directory,
        "--greenlight.public-base-url=http://127.0.0.1:" + port,
        "--greenlight.circleci.base-url=" + circleCi.baseUrl(),
        "--greenlight.circleci.token=" + FakeCircleCi.TOKEN,
        "--greenlight.twilio.base-url=" + twilio.baseUrl(),
        "--greenlight.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
        "--greenlight.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
        "--greenlight.twilio.from-number=" + FakeTwilio.FROM,
        "--greenlight.admin.password=outage-admin"));
    // The engine's lock time stays its default (5 minutes): the job that dies with the link must not wait for it.
    node.awaitHealthy(Duration.ofSeconds(240));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.kill();
    }
    if (link != null) {
      link.close();
    }
    if (circleCi != null) {
      circleCi.close();
      twilio.close();
      sql("drop schema " + SCHEMA + " cascade");
    }
  }

  @Test
  void callsFailFastDuringACutAndEverythingResumesAfterIt() throws Exception {
    GreenlightTestClient client = node.client();
    Request bySms = request(client);
    Request byApi = request(client);
    Request dying = request(client);
    SoftAssertions softly = new SoftAssertions();

    // The approve call of 'dying' cuts the link as it reaches CircleCI, which answers 1.5 s later: the job's commit
    // meets a dead link.
    AtomicReference<Instant> cutAt = new AtomicReference<>();
    circleCi.answerPostsAfter(1500);
    circleCi.onRequest(recorded -> {
      if ("POST".equals(recorded.method()) && recorded.path().contains("/workflow/" + dying.workflowId + "/approve/")) {
        link.blackhole();
        cutAt.compareAndSet(null, Instant.now());
      }
    });
    // Its approve job may start (and cut the link) before this answer is written: the approve call reaching CircleCI
    // is what shows the decision was recorded.
    async(() -> postJson("/api/approvals/" + dying.id + "/decision", basic("alice", "alice-password"),
        "{\"decision\": \"approve\"}"));
    awaitUntil(Duration.ofSeconds(60), () -> cutAt.get() != null);
    long logBefore = node.output().lines().count();

    // The first call after the cut, before the node can have noticed; readiness watched meanwhile.
    CompletableFuture<Duration> readinessWatch = CompletableFuture.supplyAsync(() -> {
      try {
        return awaitStatus("/actuator/health/readiness", 503, cutAt.get(), Duration.ofSeconds(40));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    });
    Call first = get("/api/approvals/" + byApi.id, bearer(KEY));
    figure("blackhole: first API call right after the cut", first.toString());
    softly.assertThat(first.status).as("first API call after the cut").isEqualTo(503);
    softly.assertThat(first.took).as("first API call after the cut").isLessThan(Duration.ofSeconds(10));

    Duration readinessDown = readinessWatch.join();
    figure("blackhole: readiness DOWN after", readinessDown == null ? "never (40 s)" : seconds(readinessDown));
    softly.assertThat(readinessDown).as("readiness DOWN within seconds").isNotNull();
    if (readinessDown != null) {
      softly.assertThat(readinessDown).as("readiness DOWN after the cut").isLessThan(Duration.ofSeconds(10));
    }

    // Everything at once, as clients would keep coming.
    Map<String, String> sms = smsForm(ALICE_PHONE, "APPROVE " + bySms.code);
    CompletableFuture<Call> liveness = async(() -> get("/actuator/health/liveness", null));
    CompletableFuture<Call> readiness = async(() -> get("/actuator/health/readiness", null));
    CompletableFuture<Call> status = async(() -> get("/api/approvals/" + byApi.id, bearer(KEY)));
    CompletableFuture<Call> decision = async(() -> postJson("/api/approvals/" + byApi.id + "/decision",
        basic("bob", "bob-password"), "{\"decision\": \"approve\"}"));
    CompletableFuture<Call> intake = async(() -> postJson("/api/approvals", bearer(KEY), newRequestBody(UUID.randomUUID().toString())));
    CompletableFuture<Call> reply = async(() -> postTwilio("/twilio/sms", sms));
    Map<String, String> keyPressed = new java.util.LinkedHashMap<>(Map.of("AccountSid", FakeTwilio.ACCOUNT_SID,
        "CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""), "Digits", "1"));
    CompletableFuture<Call> keyOnACall = async(() -> postTwilio("/twilio/voice/gather?request=" + byApi.id + "&user=bob", keyPressed));
    CompletableFuture.allOf(liveness, readiness, status, decision, intake, reply, keyOnACall).join();

    figure("blackhole: GET /actuator/health/liveness", liveness.join().toString());
    figure("blackhole: GET /actuator/health/readiness", readiness.join().toString());
    figure("blackhole: GET /api/approvals/{id} (API key)", status.join().toString());
    figure("blackhole: POST /api/approvals/{id}/decision (HTTP Basic)", decision.join().toString());
    figure("blackhole: POST /api/approvals", intake.join().toString());
    figure("blackhole: POST /twilio/sms", reply.join().toString());
    softly.assertThat(liveness.join().status).as("liveness during the cut").isEqualTo(200);
    softly.assertThat(readiness.join().status).as("readiness during the cut").isEqualTo(503);
    for (Call call : List.of(status.join(), decision.join(), intake.join())) {
      softly.assertThat(call.status).as(call.what).isEqualTo(503);
      softly.assertThat(call.retryAfter).as(call.what + ": Retry-After").isNotNull();
      softly.assertThat(call.error).as(call.what + ": error code").isEqualTo("unavailable");
      softly.assertThat(call.took).as(call.what).isLessThan(Duration.ofSeconds(3));
    }
    softly.assertThat(reply.join().status).as("SMS webhook during the cut").isEqualTo(200);
    softly.assertThat(reply.join().body).as("SMS reply during the cut").contains("send it again");
    softly.assertThat(reply.join().took).as("SMS webhook during the cut").isLessThan(Duration.ofSeconds(10));
    figure("blackhole: POST /twilio/voice/gather", keyOnACall.join().toString());
    softly.assertThat(keyOnACall.join().status).as("a key pressed on a call during the cut").isEqualTo(200);
    softly.assertThat(keyOnACall.join().body).as("what the call says during the cut").contains("could not record your answer");
    softly.assertThat(keyOnACall.join().took).as("a key pressed on a call during the cut").isLessThan(Duration.ofSeconds(10));

    long untilRestore = Duration.between(Instant.now(), cutAt.get().plus(BLACKHOLE)).toMillis();
    if (untilRestore > 0) {
      Thread.sleep(untilRestore);
    }
    List<String> outageLog = node.output().lines().skip(logBefore).toList();
    link.restore();
    Instant restoredAt = Instant.now();
    figure("blackhole: lasted", seconds(Duration.between(cutAt.get(), restoredAt)));
    figure("blackhole: log lines written during the cut", Long.toString(outageLog.size()));
    softly.assertThat(outageLog.size()).as("log lines during a %s cut", seconds(BLACKHOLE)).isLessThan(100);
    softly.assertThat(count(outageLog, "The database does not answer")).as("'database lost' warnings").isEqualTo(1);

    Duration readinessUp = awaitStatus("/actuator/health/readiness", 200, restoredAt, Duration.ofSeconds(60));
    figure("blackhole: readiness UP again after", readinessUp == null ? "never (60 s)" : seconds(readinessUp));
    softly.assertThat(readinessUp).as("readiness UP after the link is back").isNotNull();

    // Answers are taken again, without a restart.
    Call again = postJson("/api/approvals/" + byApi.id + "/decision", basic("bob", "bob-password"), "{\"decision\": \"approve\"}");
    figure("after: POST /api/approvals/{id}/decision", again.toString());
    softly.assertThat(again.status).as("decision after the cut").isEqualTo(200);
    Call smsAgain = postTwilio("/twilio/sms", smsForm(ALICE_PHONE, "APPROVE " + bySms.code));
    figure("after: POST /twilio/sms", smsAgain.toString());
    softly.assertThat(smsAgain.body).as("SMS reply after the cut").doesNotContain("send it again");

    // The job that died with the link runs again within a minute of the link's return, not after its 5-minute lock.
    Instant deadline = restoredAt.plusSeconds(90);
    Duration dyingDone = null;
    while (Instant.now().isBefore(deadline)) {
      if (!"PENDING".equals(statusOf(client, dying.id))) {
        dyingDone = Duration.between(restoredAt, Instant.now());
        break;
      }
      Thread.sleep(500);
    }
    figure("blackhole: job that died with the link done after the link's return",
        dyingDone == null ? "not within 90 s" : seconds(dyingDone));
    softly.assertThat(dyingDone).as("the job that died with the link ran again").isNotNull();
    if (dyingDone != null) {
      softly.assertThat(dyingDone).as("the job that died with the link ran again").isLessThan(Duration.ofSeconds(60));
    }
    for (Request request : List.of(bySms, byApi, dying)) {
      Instant until = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(until) && "PENDING".equals(statusOf(client, request.id))) {
        Thread.sleep(500);
      }
      softly.assertThat(statusOf(client, request.id)).as("request %s", request.id).isEqualTo("APPROVED");
      softly.assertThat(circleCi.requests("POST", "/workflow/" + request.workflowId + "/approve/"))
          .as("CircleCI approve calls for request %s", request.id).hasSize(1);
      softly.assertThat(circleCi.approvalsTakingEffect(request.workflowId)).as("approvals taking effect").isEqualTo(1);
    }

    // The loud kind: connections reset, new ones refused.
    long logBeforeRefuse = node.output().lines().count();
    link.refuse();
    Instant refusedAt = Instant.now();
    Duration downAgain = awaitStatus("/actuator/health/readiness", 503, refusedAt, Duration.ofSeconds(40));
    figure("refuse: readiness DOWN after", downAgain == null ? "never (40 s)" : seconds(downAgain));
    softly.assertThat(downAgain).as("readiness DOWN (refused)").isNotNull();
    Call refusedStatus = get("/api/approvals/" + byApi.id, bearer(KEY));
    Call refusedLogin = get("/api/oncall/approvers", basic("alice", "alice-password"));
    figure("refuse: GET /api/approvals/{id}", refusedStatus.toString());
    figure("refuse: GET /api/oncall/{group} (HTTP Basic)", refusedLogin.toString());
    for (Call call : List.of(refusedStatus, refusedLogin)) {
      softly.assertThat(call.status).as(call.what + " (refused)").isEqualTo(503);
      softly.assertThat(call.retryAfter).as(call.what + " (refused): Retry-After").isNotNull();
      softly.assertThat(call.took).as(call.what + " (refused)").isLessThan(Duration.ofSeconds(3));
    }
    Thread.sleep(5000);
    link.restore();
    Instant back = Instant.now();
    Duration upAgain = awaitStatus("/actuator/health/readiness", 200, back, Duration.ofSeconds(60));
    figure("refuse: readiness UP again after", upAgain == null ? "never (60 s)" : seconds(upAgain));
    Call afterRefuse = get("/api/approvals/" + byApi.id, bearer(KEY));
    softly.assertThat(afterRefuse.status).as("API after the second cut").isEqualTo(200);

    List<String> log = node.output().lines().skip(logStart).toList();
    figure("log: 'database lost' warnings in all", Long.toString(count(log, "The database does not answer")));
    figure("log: 'database back' warnings in all", Long.toString(count(log, "The database answers again")));
    figure("refuse: log lines during the cut", Long.toString(node.output().lines().count() - logBeforeRefuse));
    softly.assertThat(count(log, "The database does not answer")).as("one warning per outage").isEqualTo(2);
    softly.assertThat(count(log, "The database answers again")).as("one warning per return").isEqualTo(2);

    System.out.println("DatabaseOutageIT figures:\n" + Files.readString(Path.of("target", "database-outage.txt")));
    softly.assertAll();
  }

  private record Request(String id, String workflowId, String code) {}

  /** A figure, written to target/database-outage.txt at once (a run that fails later still leaves what it measured). */
  private void figure(String what, String value) {
    figures.put(what, value);
    try {
      Files.writeString(Path.of("target", "database-outage.txt"), figures.entrySet().stream()
          .map(figure -> figure.getKey() + ": " + figure.getValue()).collect(Collectors.joining("\n", "", "\n")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A request with its decision task waiting. */
  private Request request(GreenlightTestClient client) throws InterruptedException {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    JsonNode created = client.postJson("/api/approvals", bearer(KEY), newRequestBody(workflowId)).body();
    String id = created.get("id").asText();
    awaitUntil(Duration.ofSeconds(60), () -> client.get("/api/approvals/" + id, bearer(KEY)).body().get("links").get("tasklist")
        .asText().contains("task="));
    return new Request(id, workflowId, created.get("code").asText());
  }

  private static String newRequestBody(String workflowId) {
    return """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId);
  }

  private static String statusOf(GreenlightTestClient client, String id) {
    return client.get("/api/approvals/" + id, bearer(KEY)).body().get("status").asText();
  }

  /** How long after {@code from} the path answered {@code status}; null if not within {@code atMost}. */
  private Duration awaitStatus(String path, int status, Instant from, Duration atMost) throws InterruptedException {
    Instant deadline = from.plus(atMost);
    while (Instant.now().isBefore(deadline)) {
      if (get(path, null).status == status) {
        return Duration.between(from, Instant.now());
      }
      Thread.sleep(200);
    }
    return null;
  }

  /** One call: its status (-1: no answer within the timeout), how long it took, Retry-After, the error code. */
  private record Call(String what, int status, Duration took, String retryAfter, String error, String body) {
    @Override
    public String toString() {
      return (status < 0 ? "no answer" : Integer.toString(status)) + " in " + seconds(took)
          + (retryAfter == null ? "" : ", Retry-After " + retryAfter) + (error == null ? "" : ", error " + error);
    }
  }

  private Call get(String path, String authorization) {
    return call("GET " + path, base(path, authorization).GET().build());
  }

  private Call postJson(String path, String authorization, String body) {
    return call("POST " + path, base(path, authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Call postTwilio(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return call("POST " + path, base(path, null).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", FakeTwilio.sign("http://127.0.0.1:" + port + path, form))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpRequest.Builder base(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(CALL_TIMEOUT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private Call call(String what, HttpRequest request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      String error = null;
      if (response.headers().firstValue("Content-Type").orElse("").contains("json") && !response.body().isEmpty()) {
        JsonNode body = json.readTree(response.body());
        error = body.path("error").isMissingNode() ? null : body.path("error").asText();
      }
      return new Call(what, response.statusCode(), took, response.headers().firstValue("Retry-After").orElse(null), error,
          response.body());
    } catch (IOException e) {
      return new Call(what, -1, Duration.ofNanos(System.nanoTime() - started), null, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<Call> async(java.util.function.Supplier<Call> call) {
    return CompletableFuture.supplyAsync(call, runnable -> {
      Thread thread = new Thread(runnable);
      thread.setDaemon(true);
      thread.start();
    });
  }

  private static Map<String, String> smsForm(String from, String body) {
    return Map.of("From", from, "To", FakeTwilio.FROM, "Body", body, "MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""),
        "AccountSid", FakeTwilio.ACCOUNT_SID);
  }

  private static long count(List<String> lines, String text) {
    return lines.stream().filter(line -> line.contains(text)).count();
  }

  private static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }

  private static boolean postgresReachable() {
    try (Connection ignored = DriverManager.getConnection(PG, "postgres", "")) {
      return true;
    } catch (SQLException e) {
      System.out.println("DatabaseOutageIT SKIPPED: PostgreSQL is not reachable at 127.0.0.1:5432 (" + e.getMessage() + ")");
      return false;
    }
  }

  private static void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(PG, "postgres", "")) {
      connection.createStatement().execute(statement);
    }
  }
}
