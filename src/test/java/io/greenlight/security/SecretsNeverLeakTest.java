package io.greenlight.security;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeGitHub;
import io.greenlight.testing.FakeSlack;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * No secret ever appears in a log line, the database (process variables, history, failed jobs' messages and stack
 * traces, Greenlight's tables), an API answer or an error message: not the API keys, the CircleCI service token, an
 * approver's own token, the Twilio auth token, Slack's bot token and signing secret, the secrets key, the SMTP password, the admin's or users' passwords.
 * A request is driven through the paths that touch them (a refused key, SMS and delivery reports, a failing CircleCI
 * call, a refused personal token and the fallback, a directory reload), then everything is searched.
 */
class SecretsNeverLeakTest extends GreenlightApplicationTest {

  private static final String BOB = basic("bob", "bob-password");
  private static final String ADMIN = basic("admin", "test-admin-password");

  @Autowired
  private JdbcTemplate jdbc;

  private final List<String> answers = new ArrayList<>();

  @Test
  void noSecretIsLoggedStoredOrAnswered() throws Exception {
    keep(client.postJson("/api/approvals", bearer(ACME_KEY + "-wrong"), "{}"));
    keep(client.get("/api/approvals/" + UUID.randomUUID(), basic("bob", "bob-password-wrong")));
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    Answer created = keep(client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat", "summary": "Release"}
        """.formatted(workflowId)));
    String id = created.body().get("id").asText();
    runDueJobs();
    FakeTwilio.Sent sms = twilio.messagesTo("+15551230002").get(0);
    String statusPath = "/twilio/status?request=" + id + "&user=bob";
    Map<String, String> report = new LinkedHashMap<>(Map.of("MessageSid", sms.sid(), "MessageStatus", "delivered"));
    keep(client.postTwilio(statusPath, report, FakeTwilio.sign(PUBLIC_URL + statusPath, report)));

    keep(client.postJson("/api/approvals/" + id + "/decision", BOB, "{\"decision\": \"approve\", \"comment\": \"go\"}"));
    circleCi.failNext(1, 500, null);
    circleCi.refuseToken(FakeCircleCi.BOB_TOKEN, 401);
    management.createJobQuery().processInstanceId(id).list().forEach(job -> {
      try {
        management.executeJob(job.getId());
      } catch (RuntimeException failedAndKeptForItsRetry) {
        // the 500: its message and stack trace are now stored with the job
      }
    });
    management.createJobQuery().processInstanceId(id).list().forEach(job -> management.executeJob(job.getId()));
    runDueJobs();
    keep(client.postJson("/api/admin/directory/reload", ADMIN, ""));

    Answer approved = keep(client.get("/api/approvals/" + id, bearer(ACME_KEY)));
    assertThat(approved.body().get("circleci").get("refused_token_owner").asText()).as("the paths were taken").isEqualTo("bob");
    keep(client.get("/api/approvals?limit=100", BOB));
    keep(client.get("/engine-rest/history/variable-instance?processInstanceId=" + id, ADMIN));
    keep(client.get("/engine-rest/history/job-log?processInstanceId=" + id, ADMIN));
    keep(client.get("/engine-rest/history/job-log?processInstanceId=" + id + "&failureLog=true", ADMIN));

    String log = Files.readString(Path.of(LOG_FILE));
    String database = databaseDump();
    assertThat(database).as("the dump can be searched").contains(id).contains("bob");
    for (Map.Entry<String, String> secret : secrets().entrySet()) {
      assertThat(log).as("the log holds %s", secret.getKey()).doesNotContain(secret.getValue());
      assertThat(database).as("the database holds %s", secret.getKey()).doesNotContain(secret.getValue());
      assertThat(answers).as("an answer holds %s", secret.getKey()).noneMatch(answer -> answer.contains(secret.getValue()));
    }
  }

  private static Map<String, String> secrets() {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("an API key", ACME_KEY);
    secrets.put("another API key", OTHER_KEY);
    secrets.put("the CircleCI service token", FakeCircleCi.TOKEN);
    secrets.put("bob's own CircleCI token", FakeCircleCi.BOB_TOKEN);
    secrets.put("the Twilio auth token", FakeTwilio.AUTH_TOKEN);
    secrets.put("the Slack bot token", FakeSlack.BOT_TOKEN);
    secrets.put("the Slack signing secret", FakeSlack.SIGNING_SECRET);
    secrets.put("the GitHub webhook secret", FakeGitHub.WEBHOOK_SECRET);
    secrets.put("the GitHub App's private key", FakeGitHub.privateKeyPem().lines().skip(3).findFirst().orElseThrow());
    secrets.put("the secrets key", SECRETS_KEY);
    secrets.put("the SMTP password", SMTP_PASSWORD);
    secrets.put("the admin's password", "test-admin-password");
    secrets.put("bob's password", "bob-password");
    secrets.put("alice's password", "alice-password");
    return secrets;
  }

  private Answer keep(Answer answer) {
    answers.add(answer.raw().headers().map() + "\n" + answer.raw().body());
    return answer;
  }

  /** The whole database as SQL, with binary columns (JSON variables, exception stack traces) decoded as text. */
  private String databaseDump() {
    StringBuilder dump = new StringBuilder();
    Pattern binary = Pattern.compile("X'([0-9a-fA-F]+)'");
    for (String statement : jdbc.queryForList("SCRIPT", String.class)) {
      dump.append(statement).append('\n');
      Matcher bytes = binary.matcher(statement);
      while (bytes.find()) {
        dump.append(new String(HexFormat.of().parseHex(bytes.group(1)), StandardCharsets.UTF_8)).append('\n');
      }
    }
    return dump.toString();
  }
}
