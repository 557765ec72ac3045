package io.greenlight.database;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeSlack;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightProcess;
import io.greenlight.testing.GreenlightTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 27, finding 10: on PostgreSQL, answers given through the API right after a request's approvers were asked
 * must all be recorded while the notification jobs (Send SMS, Send e-mail, Send Slack message, Call approver, for
 * every approver) are still running on the job executor. Several clients, a few hundred requests, each answered as
 * soon as its decision task is open; every answer must be taken (200) and every request must end approved with one
 * approve call at CircleCI. The whole application on the {@code postgres} profile, in a schema of its own on the local
 * PostgreSQL (dropped afterwards), with the job executor on and fake CircleCI, Twilio, Slack and SMTP on loopback.
 * Skipped, saying so, without PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "camunda.bpm.job-execution.enabled=true",
    "camunda.bpm.process-engine-name=answersonpostgres",
    "greenlight.admin.password=answers-admin-password",
    "greenlight.circleci.token=" + FakeCircleCi.TOKEN,
    "greenlight.public-base-url=http://127.0.0.1:8080",
    "greenlight.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
    "greenlight.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
    "greenlight.twilio.from-number=" + FakeTwilio.FROM,
    "greenlight.twilio.voice=true",
    "greenlight.slack.bot-token=" + FakeSlack.BOT_TOKEN,
    "greenlight.slack.signing-secret=" + FakeSlack.SIGNING_SECRET,
    "spring.mail.host=127.0.0.1",
    "greenlight.mail.from=greenlight@example.com",
    "camunda.bpm.generic-properties.properties.loginDelayBase=0",
    "greenlight.answers.max-refused=100000",
    "logging.file.name=target/concurrent-answers-on-postgres.log",
})
@ActiveProfiles("postgres")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConcurrentAnswersOnPostgresIT {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String KEY = "answers-key-0123456789abcdef";
  /** Requests answered in one run (-Danswers.requests= to try more or fewer); enough to hit the race many times. */
  private static final int REQUESTS = Integer.getInteger("answers.requests", 150);
  private static final int CLIENTS = Integer.getInteger("answers.clients", 6);
  private static final String SCHEMA = "greenlight_answers_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  private static final FakeCircleCi circleCi = new FakeCircleCi();
  private static final FakeTwilio twilio = new FakeTwilio();
  private static final FakeSlack slack = new FakeSlack();
  private static GreenMail mail;
  private static Path directory;
  private static boolean schemaCreated;

  private static ConfigurableApplicationContext started;

  @LocalServerPort
  int port;

  @Autowired
  ConfigurableApplicationContext context;

  @BeforeEach
  void remember() {
    started = context;
  }

  @BeforeAll
  static void freshSchema() throws Exception {
    Assumptions.assumeTrue(postgresReachable(),
        "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): the concurrent answers test is skipped");
    sql("create schema " + SCHEMA);
    schemaCreated = true;
    mail = new GreenMail(new ServerSetup(GreenlightProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    // Three approvers, each on SMS, e-mail, Slack and voice: every request asks all three at once (no on-call rotation),
    // so twelve notification jobs per request run while its answer comes in.
    directory = Files.writeString(Files.createTempFile("answers-directory", ".yaml"), """
        users:
          - { id: alice, email: alice@example.com, phone: "+15551230001", slack: U0ALICE01, voice: true, password: alice-password, groups: [approvers] }
          - { id: bob, email: bob@example.com, phone: "+15551230002", slack: U0BOB0002, voice: true, password: bob-password, groups: [approvers] }
          - { id: carol, email: carol@example.com, phone: "+15551230007", slack: U0CAROL07, voice: true, password: carol-password, groups: [approvers] }
          - { id: octocat, email: octocat@example.com, password: octocat-password, groups: [developers] }
        groups:
          - id: approvers
          - id: developers
        api-clients:
          - { id: ci, key: %s, projects: ["gh/acme/*"] }
        """.formatted(KEY));
  }

  /**
   * The application on the fresh schema. {@code -Danswers.jdbc-options=&options=-c%20log_statement=mod} has PostgreSQL
   * log every statement of this run with its parameters (which execution a DELETE meant, at which revision).
   */
  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> PG + "?currentSchema=" + SCHEMA + System.getProperty("answers.jdbc-options", ""));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
    registry.add("camunda.bpm.database.schema-name", () -> SCHEMA);
    registry.add("camunda.bpm.database.table-prefix", () -> SCHEMA + ".");
    registry.add("greenlight.directory-file", () -> directory.toString());
    registry.add("greenlight.circleci.base-url", circleCi::baseUrl);
    registry.add("greenlight.twilio.base-url", twilio::baseUrl);
    registry.add("greenlight.slack.base-url", slack::baseUrl);
    registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
  }

  @AfterAll
  static void dropSchema() throws Exception {
    // The job executor and the connection pool stop first, then the tables go; @DirtiesContext closes the rest.
    if (started != null) {
      started.getBean(org.camunda.bpm.engine.impl.jobexecutor.JobExecutor.class).shutdown();
      started.getBean(com.zaxxer.hikari.HikariDataSource.class).close();
    }
    if (schemaCreated) {
      sql("drop schema " + SCHEMA + " cascade");
    }
    if (mail != null) {
      mail.stop();
    }
    if (directory != null) {
      Files.deleteIfExists(directory);
    }
    circleCi.close();
    twilio.close();
    slack.close();
  }

  /** What one answer got back. */
  record Answered(String id, String workflowId, int status, String body) {}

  @Test
  void everyAnswerGivenWhileTheApproversAreBeingAskedIsRecorded() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    AtomicInteger next = new AtomicInteger();
    List<Answered> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    Instant started = Instant.now();
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      running.add(clients.submit(() -> {
        GreenlightTestClient client = new GreenlightTestClient(port);
        while (next.getAndIncrement() < REQUESTS) {
          answers.add(askAndAnswer(client));
        }
        return null;
      }));
    }
    for (Future<?> client : running) {
      client.get();
    }
    clients.shutdown();
    Duration answering = Duration.between(started, Instant.now());

    List<Answered> failed = answers.stream().filter(answer -> answer.status() != 200).toList();
    Map<String, Long> byStatus = new ConcurrentHashMap<>();
    answers.forEach(answer -> byStatus.merge(String.valueOf(answer.status()), 1L, Long::sum));
    System.out.printf("ConcurrentAnswersOnPostgresIT: %d answers by %d clients in %d s; answered %s; failed %d: %s%n",
        answers.size(), CLIENTS, answering.toSeconds(), byStatus, failed.size(),
        failed.stream().limit(5).map(Answered::body).toList());

    // Every request the answer was taken for ends approved, with one approve call each.
    GreenlightTestClient client = new GreenlightTestClient(port);
    List<String> notApproved = new ArrayList<>();
    for (Answered answer : answers) {
      try {
        GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> !"PENDING".equals(status(client, answer.id())), 50);
      } catch (AssertionError stillPending) {
        // counted below
      }
      String status = status(client, answer.id());
      if (!"APPROVED".equals(status)) {
        notApproved.add(answer.id() + " " + status);
      }
    }

    assertThat(answers).hasSize(REQUESTS);
    assertThat(failed).as("answers not taken (of %d)", REQUESTS).isEmpty();
    assertThat(notApproved).as("requests not approved (of %d)", REQUESTS).isEmpty();
    for (Answered answer : answers) {
      assertThat(circleCi.requests("POST", "/workflow/" + answer.workflowId() + "/approve/"))
          .as("approve calls for %s", answer.id()).hasSize(1);
    }
  }

  /** One request, answered by alice as soon as its decision task is open: while its approvers are being asked. */
  private Answered askAndAnswer(GreenlightTestClient client) throws InterruptedException {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    GreenlightTestClient.Answer created = client.postJson("/api/approvals", bearer(KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def"}
        """.formatted(workflowId));
    assertThat(created.status()).as("POST /api/approvals: %s", created.raw().body()).isEqualTo(201);
    String id = created.body().get("id").asText();
    GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> client.get("/api/approvals/" + id, bearer(KEY)).body()
        .path("links").path("tasklist").asText().contains("task="), 10);
    GreenlightTestClient.Answer answer = client.postJson("/api/approvals/" + id + "/decision",
        basic("alice", "alice-password"), "{\"decision\": \"approve\"}");
    return new Answered(id, workflowId, answer.status(), answer.raw().body());
  }

  private static String status(GreenlightTestClient client, String id) {
    JsonNode approval = client.get("/api/approvals/" + id, bearer(KEY)).body();
    return approval == null ? "" : approval.path("status").asText();
  }

  private static boolean postgresReachable() {
    try (Connection ignored = DriverManager.getConnection(PG, "postgres", "")) {
      return true;
    } catch (SQLException e) {
      System.out.println("ConcurrentAnswersOnPostgresIT SKIPPED: PostgreSQL is not reachable at 127.0.0.1:5432 ("
          + e.getMessage() + ")");
      return false;
    }
  }

  private static void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(PG, "postgres", "")) {
      connection.createStatement().execute(statement);
    }
  }
}
