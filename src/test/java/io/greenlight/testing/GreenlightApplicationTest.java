package io.greenlight.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port, on its own in-memory database and engine, with fakes of CircleCI, Twilio,
 * Slack, GitHub and GitLab.
 * The job executor is off: tests run due jobs themselves, so every step happens when the test says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "camunda.bpm.job-execution.enabled=false",
    // The engine REST API's paths without an engine name (those Camunda Modeler uses) serve the engine named "default";
    // any other Spring context of the tests names its engine otherwise (without '-', which the starter ignores).
    "camunda.bpm.process-engine-name=default",
    "spring.datasource.url=jdbc:h2:mem:greenlight-application-test;DB_CLOSE_DELAY=-1",
    "spring.datasource.name=greenlight-application-test",
    "greenlight.directory-file=src/test/resources/test-directory.yaml",
    "greenlight.admin.password=test-admin-password",
    "greenlight.circleci.token=" + FakeCircleCi.TOKEN,
    // Twilio and approvers' links see Greenlight behind a proxy, not at the test's local port.
    "greenlight.public-base-url=" + GreenlightApplicationTest.PUBLIC_URL,
    "greenlight.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
    "greenlight.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
    "greenlight.twilio.from-number=" + FakeTwilio.FROM,
    "greenlight.twilio.voice=true",
    "greenlight.slack.bot-token=" + FakeSlack.BOT_TOKEN,
    "greenlight.slack.signing-secret=" + FakeSlack.SIGNING_SECRET,
    "greenlight.github.app-id=" + FakeGitHub.APP_ID,
    "greenlight.github.webhook-secret=" + FakeGitHub.WEBHOOK_SECRET,
    "greenlight.gitlab.token=" + FakeGitLab.TOKEN,
    "spring.mail.host=127.0.0.1",
    "greenlight.mail.from=greenlight@example.com",
    // Tests try wrong passwords; in production each failure locks the user out for a growing delay.
    "camunda.bpm.generic-properties.properties.loginDelayBase=0",
    // Every kind of secret is set, and everything logged is kept, so SecretsNeverLeakTest can look for them.
    "greenlight.secrets.key=" + GreenlightApplicationTest.SECRETS_KEY,
    "spring.mail.username=greenlight",
    "spring.mail.password=" + GreenlightApplicationTest.SMTP_PASSWORD,
    "logging.file.name=" + GreenlightApplicationTest.LOG_FILE,
    // Tests are refused on purpose, often, as the same few people; RefusalFloodTest sets the production limit itself.
    "greenlight.answers.max-refused=100000",
    // OneClientCostsOnlyItselfTest connects from 127.0.0.3 as a reverse proxy; every other test from 127.0.0.1.
    "greenlight.web.trusted-proxies=127.0.0.3/32",
})
// Spring Boot tests switch metrics export off by default; /actuator/prometheus is part of what is tested.
@AutoConfigureObservability
public abstract class GreenlightApplicationTest {

  protected static final String SECRETS_KEY = "q7lB0sUu3d0HkY1m9ZtM6c2Vn8xR4pJwE5aT2gK7hLs=";
  protected static final String SMTP_PASSWORD = "smtp-password-never-shown";
  protected static final String LOG_FILE = "target/greenlight-application-test.log";
  protected static final String ACME_KEY = "acme-key-0123456789abcdef";
  protected static final String OTHER_KEY = "other-key-0123456789abcdef";
  protected static final String PUBLIC_URL = "https://greenlight.example.com";
  protected static final FakeCircleCi circleCi = new FakeCircleCi();
  protected static final FakeTwilio twilio = new FakeTwilio();
  protected static final FakeSlack slack = new FakeSlack();
  protected static final FakeGitHub github = new FakeGitHub();
  protected static final FakeGitLab gitlab = new FakeGitLab();
  protected static final GreenMail mail = startMailServer();

  static {
    // The log of this run only (Spring appends to the file): SecretsNeverLeakTest reads it.
    try {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(LOG_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void fakeServers(DynamicPropertyRegistry registry) {
    registry.add("greenlight.circleci.base-url", circleCi::baseUrl);
    registry.add("greenlight.twilio.base-url", twilio::baseUrl);
    registry.add("greenlight.slack.base-url", slack::baseUrl);
    registry.add("greenlight.github.base-url", github::baseUrl);
    registry.add("greenlight.github.private-key", FakeGitHub::privateKeyPem);
    registry.add("greenlight.gitlab.base-url", gitlab::baseUrl);
    registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
  }

  /** A real SMTP server, for the whole test run (the Spring context outlives a test class). */
  private static GreenMail startMailServer() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    server.setUser("greenlight@example.com", "greenlight", SMTP_PASSWORD);
    return server;
  }

  @LocalServerPort
  protected int port;

  @Autowired
  protected ManagementService management;

  protected GreenlightTestClient client;

  @BeforeEach
  void connect() {
    client = new GreenlightTestClient(port);
    circleCi.reset();
    twilio.reset();
    slack.reset();
    github.reset();
    gitlab.reset();
    try {
      mail.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An approver's SMS reply, as Twilio posts it (signed); Greenlight's TwiML answer. */
  protected String smsReply(String from, String body) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
    form.put("From", from);
    form.put("To", FakeTwilio.FROM);
    form.put("Body", body);
    return client.postTwilio("/twilio/sms", form, FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", form)).raw().body();
  }

  /** Octocat's pipeline asks for approval of the "hold" job of {@code workflowId} (already on hold at the fake CircleCI). */
  protected String askForApproval(String workflowId) {
    GreenlightTestClient.Answer created = client.postJson("/api/approvals", GreenlightTestClient.bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "abc1234def"}
        """.formatted(workflowId));
    if (created.status() != 201) {
      throw new AssertionError("POST /api/approvals answered " + created.status() + ": " + created.raw().body());
    }
    return created.body().get("id").asText();
  }

  /** Runs due jobs until none is left, as the job executor would. */
  protected void runDueJobs() {
    for (int round = 0; round < 20; round++) {
      List<Job> due = management.createJobQuery().executable().list();
      if (due.isEmpty()) {
        return;
      }
      // A job run earlier in the round may have removed another (a request that ended takes its timers with it).
      due.stream().filter(job -> management.createJobQuery().jobId(job.getId()).count() > 0)
          .forEach(job -> management.executeJob(job.getId()));
    }
    throw new AssertionError("Jobs are still due after 20 rounds");
  }
}
