package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The xMatters CircleCI orbs' {@code notify} step, unchanged, pointed at Greenlight as a team moving off xMatters does:
 * v2's step (HEAD, and the superseded commit that put {@code recipients} inside {@code properties}) run by bash and curl
 * as CircleCI runs it, and v1's body as its step sends it (see the README files under {@code src/test/resources}).
 */
class XMattersOrbTest extends GreenlightApplicationTest {

  private static final Path ORB_V2 = Path.of("src/test/resources/xmatters-orb-v2/notify.yml");
  private static final Path ORB_V2_SUPERSEDED = Path.of("src/test/resources/xmatters-orb-v2/notify-54d3f93.yml");
  private static final Path ORB_V1_BODY = Path.of("src/test/resources/xmatters-orb/notify-body.json");
  private static final String ORB_V1_WORKFLOW = "5034460f-c7c4-4c43-9457-de07e2029e7b";
  private static final String ALICE = basic("alice", "alice-password");

  @Test
  void orbV1NamesNobodySoTheRoutingTableDecidesAndAnSmsApprovalReachesCircleCi() {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String body = read(ORB_V1_BODY).replace(ORB_V1_WORKFLOW, workflowId);

    Answer created = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/inbound/xmatters?apiKey=" + ACME_KEY))
        .header("Content-type", "application/json").header("User-Agent", "curl/7.88.1")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asText();
    runDueJobs();
    JsonNode pending = approval(id);
    assertThat(pending.get("approver_group").asText()).isEqualTo("approvers");
    assertThat(pending.get("approval_job").asText()).isEqualTo("hold");
    // the routing table's "approvers", but not octocat, who asked
    assertThat(pending.get("notified").findValuesAsText("user")).containsOnly("alice", "bob");

    String reply = smsReply("+15551230001", "APPROVE " + pending.get("code").asText());
    assertThat(reply).contains("Recorded: you approved gh/acme/shop main");
    runDueJobs();

    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/approve/" + approvalRequestId)).hasSize(1);
  }

  @Test
  void orbV2AsksTheOneGroupItNames() {
    JsonNode pending = runOrbV2Step(ORB_V2, "release-managers");

    assertThat(pending.get("approver_group").asText()).isEqualTo("release-managers");
    assertThat(pending.get("notified").findValuesAsText("user")).containsOnly("bob");
  }

  @Test
  void orbV2AsksEveryoneOfAListAtOnce() {
    JsonNode pending = runOrbV2Step(ORB_V2, "release-managers, dora,erin");

    assertThat(pending.get("approver_group").asText()).isEqualTo("release-managers,dora,erin");
    assertThat(pending.get("escalation_level").asInt()).isEqualTo(1);
    assertThat(pending.get("notified").findValuesAsText("user")).contains("bob", "dora", "erin");
    // erin, named as a user, may answer though in no group named
    Answer erin = client.postJson("/api/approvals/" + pending.get("id").asText() + "/decision", basic("erin", "erin-password"),
        "{\"decision\": \"approve\"}");
    assertThat(erin.status()).as(erin.raw().body()).isEqualTo(200);
  }

  @Test
  void orbV2AsksAUserItNames() {
    JsonNode pending = runOrbV2Step(ORB_V2, "dora");

    assertThat(pending.get("notified").findValuesAsText("user")).containsOnly("dora");
    assertThat(client.postJson("/api/approvals/" + pending.get("id").asText() + "/decision", ALICE,
        "{\"decision\": \"approve\"}").body().get("error").asText()).isEqualTo("not_an_approver");
  }

  @Test
  void orbV2WithEmptyRecipientsLeavesItToTheRoutingTable() {
    JsonNode pending = runOrbV2Step(ORB_V2, "");

    assertThat(pending.get("approver_group").asText()).isEqualTo("approvers");
    assertThat(pending.get("notified").findValuesAsText("user")).containsOnly("alice", "bob");
  }

  @Test
  void theSupersededV2ShapeWithRecipientsInsidePropertiesWorksToo() {
    JsonNode pending = runOrbV2Step(ORB_V2_SUPERSEDED, "release-managers");

    assertThat(pending.get("approver_group").asText()).isEqualTo("release-managers");
    assertThat(pending.get("notified").findValuesAsText("user")).containsOnly("bob");
  }

  @Test
  void recipientsNobodyKnowsFailTheRequestAtOnceAndCancelTheWorkflow() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");

    OrbRun run = runOrbStep(ORB_V2, "release-managers, ghost-team", workflowId);
    // The orb's curl has no --fail: whatever Greenlight answers, the CircleCI step stays green.
    assertThat(run.exitCode()).isZero();
    runDueJobs();

    JsonNode failed = approval(pendingIdFor(workflowId));
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("stage").asText()).isEqualTo("ended");
    assertThat(failed.get("failure_reason").asText()).isEqualTo("The directory has no group or user named 'ghost-team'.");
    assertThat(failed.get("notified").findValuesAsText("detail")).containsOnly("outcome"); // nobody was asked
    assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/cancel")).hasSize(1);
    assertThat(failed.get("circleci").get("action").asText()).isEqualTo("cancel");
    assertThat(failed.get("timeline").findParents("event")).anySatisfy(entry -> {
      assertThat(entry.get("event").asText()).isEqualTo("Nobody can approve");
      assertThat(entry.get("detail").asText()).contains("ghost-team").contains("cancelled");
    });
    // octocat asked for it, and is told why nothing will be approved
    assertThat(twilio.messagesTo("+15551230003")).singleElement()
        .satisfies(sms -> assertThat(sms.form().get("Body")).contains("ghost-team"));
  }

  @Test
  void aRefusedKeyLeavesTheOrbStepGreen() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");

    OrbRun run = runOrbStep(ORB_V2, "approvers", workflowId, "not-a-key-of-anybody-at-all");

    assertThat(run.exitCode()).isZero();
    assertThat(run.output()).contains("\"error\":\"invalid_api_key\"");
    assertThat(client.get("/api/approvals?status=PENDING&limit=100", ALICE).body().findValuesAsText("workflow_id"))
        .doesNotContain(workflowId);
  }

  private JsonNode runOrbV2Step(Path notifyYml, String recipients) {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    OrbRun run = runOrbStep(notifyYml, recipients, workflowId);
    assertThat(run.exitCode()).as(run.output()).isZero();
    runDueJobs();
    JsonNode pending = approval(pendingIdFor(workflowId));
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("stage").asText()).isEqualTo("waiting");
    assertThat(pending.get("requested_by").asText()).isEqualTo("octocat");
    return pending;
  }

  private OrbRun runOrbStep(Path notifyYml, String recipients, String workflowId) {
    return runOrbStep(notifyYml, recipients, workflowId, ACME_KEY);
  }

  /**
   * The step as CircleCI runs it: its "xMatters Inbound Command" with {@code << parameters.x >>} replaced by the value
   * given or the parameter's default (a parameter the command does not declare is empty), run by bash in a job's
   * environment, with {@code XM_URL} set in the project's settings as the orb asks.
   */
  @SuppressWarnings("unchecked")
  private OrbRun runOrbStep(Path notifyYml, String recipients, String workflowId, String apiKey) {
    Map<String, Object> command = new Yaml().load(read(notifyYml));
    Map<String, Object> parameters = (Map<String, Object>) command.get("parameters");
    String script = ((List<Map<String, Object>>) command.get("steps")).stream()
        .map(step -> (Map<String, Object>) step.get("run"))
        .filter(run -> run != null && "xMatters Inbound Command".equals(run.get("name")))
        .map(run -> (String) run.get("command")).findFirst().orElseThrow();
    Map<String, String> given = Map.of("recipients", recipients);
    Matcher placeholder = Pattern.compile("<<\\s*parameters\\.(\\w+)\\s*>>").matcher(script);
    StringBuilder expanded = new StringBuilder();
    while (placeholder.find()) {
      String name = placeholder.group(1);
      Object declared = parameters.get(name);
      String value = given.containsKey(name) ? given.get(name)
          : declared instanceof Map<?, ?> parameter && parameter.get("default") != null ? parameter.get("default").toString() : "";
      placeholder.appendReplacement(expanded, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(expanded);

    Map<String, String> job = new LinkedHashMap<>();
    job.put("CIRCLE_USERNAME", "octocat");
    job.put("CIRCLE_PROJECT_REPONAME", "shop");
    job.put("CIRCLE_WORKFLOW_ID", workflowId);
    job.put("CIRCLE_BRANCH", "main");
    job.put("CIRCLE_SHA1", "abc1234def5678901234567890abcdef12345678");
    job.put("CIRCLE_BUILD_NUM", "42");
    job.put("CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/shop/42");
    job.put("CIRCLE_JOB", "request-approval");
    job.put("XM_BUILD_STATUS", "success");
    job.put("XM_URL", "http://localhost:" + port + "/api/inbound/xmatters?apiKey=" + apiKey);
    return bash(expanded.toString(), job);
  }

  private record OrbRun(int exitCode, String output) {}

  private static OrbRun bash(String script, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    builder.environment().putAll(new HashMap<>(environment));
    try {
      Process process = builder.start();
      String output;
      try (InputStream stream = process.getInputStream()) {
        output = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("The orb's step did not finish within 30 s: " + output);
      }
      return new OrbRun(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("bash and curl run the orb's step (.ci/run installs curl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String pendingIdFor(String workflowId) {
    JsonNode all = client.get("/api/approvals?limit=100", ALICE).body();
    for (JsonNode approval : all) {
      if (approval.get("workflow_id").asText().equals(workflowId)) {
        return approval.get("id").asText();
      }
    }
    throw new AssertionError("No request for workflow " + workflowId + " in " + all);
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
