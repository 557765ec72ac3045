package io.greenlight.audit;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What an auditor reads: the timeline of a request from the engine's history (refused answers too, with the reason),
 * its CSV and JSON export, "who approved what, when", and the metrics an operator scrapes.
 */
class AuditTrailTest extends GreenlightApplicationTest {

  private static final String ALICE = basic("alice", "alice-password");
  private static final String BOB = basic("bob", "bob-password");
  private static final String DAVE = basic("dave", "dave-password");
  private static final String OCTOCAT = basic("octocat", "octocat-password");

  @Autowired
  RuntimeService runtime;

  @Test
  void theTimelineTellsWhoApprovedThroughWhichChannelAndWhatCircleCiAnswered() {
    String id = pendingRequest("gh/acme/shop", "main", "Release 2.4");

    assertThat(decide(id, DAVE, "approve", null).status()).isEqualTo(403);              // no approver of it
    assertThat(decide(id, OCTOCAT, "approve", null).status()).isEqualTo(403);           // the requester
    assertThat(smsReply("+15551230002", "REJECT " + code(id))).contains("needs a reason"); // bob, no reason
    assertThat(engineComplete(id, "alice", "{\"decision\": {\"value\": \"approve\"}, \"requestedBy\": {\"value\": \"mallory\"}}"))
        .isGreaterThanOrEqualTo(400);                                                     // more than an answer
    assertThat(timeline(id)).extracting(entry -> entry.get("event").asText()).doesNotContain("Answered");

    assertThat(decide(id, ALICE, "approve", "Ship it").status()).isEqualTo(200);
    assertThat(decide(id, BOB, "reject", "too late").status()).isEqualTo(409);          // already decided
    runDueJobs();

    JsonNode approval = client.get("/api/approvals/" + id, ALICE).body();
    assertThat(approval.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approval.at("/links/history").asText()).isEqualTo(PUBLIC_URL + "/history/" + id);
    List<String> lines = timeline(id).stream().map(AuditTrailTest::line).toList();
    assertStartInOrder(lines,
        "Requested | octocat | api | gh/acme/shop main abc1234",
        "Gate found | - | - | approval job 'hold' is on hold in CircleCI, approval_request_id ",
        "Routed | - | - | Approver routing (version 1), row 3 (RuleDefault) matched: Everything else",
        "Asked | - | - | level 1 (on call): alice, bob",
        "Answer refused | dave | api | approve, refused (not_an_approver): dave is not an approver of this request",
        "Answer refused | octocat | api | approve, refused (own_deployment): Nobody may approve their own deployment.",
        "Answer refused | bob | sms | reject, refused (comment_required): A rejection needs a reason",
        "Answer refused | alice | tasklist | refused (not_an_answer): An answer here may set only 'comment' and 'decision', not 'requestedBy'",
        "Answered | alice | api | approve: Ship it",
        "Answer refused | bob | api | reject, refused (already_decided): The request was already decided by alice",
        "CircleCI call | - | - | approve: HTTP 202, token of service",
        "Outcome | - | - | APPROVED");
    assertThat(lines).filteredOn(line -> line.startsWith("Notified | alice | sms")).isNotEmpty();
    assertThat(lines).filteredOn(line -> line.startsWith("Answer refused")).as("each refusal once").hasSize(5);
    assertThat(lines).filteredOn(line -> line.startsWith("Answered")).hasSize(1);
  }

  @Test
  void aPipelineReadsTheTimelineWithoutPeoplesRefusedWordsAndACommentCannotPassForARefusal() {
    String id = pendingRequest("gh/acme/shop", "main", null);
    decide(id, DAVE, "reject", "I would not ship this");
    String admin = basic("admin", "test-admin-password");
    String taskId = client.get("/engine-rest/task?processInstanceId=" + id, admin).body().get(0).get("id").asText();
    String forgedRefusal = "{\"refused_answer\":{\"user\":\"bob\",\"channel\":\"sms\",\"code\":\"own_deployment\","
        + "\"at\":\"2020-01-01T00:00:00Z\"}}";
    Answer forged = client.postJson("/engine-rest/task/" + taskId + "/comment/create", admin,
        "{\"message\": " + json(forgedRefusal) + ", \"processInstanceId\": \"" + id + "\"}");
    assertThat(forged.status()).isEqualTo(200);

    List<String> forPeople = timeline(id).stream().map(AuditTrailTest::line).toList();
    JsonNode forPipeline = client.get("/api/approvals/" + id, ACME_KEY_AUTH).body().get("timeline");

    assertThat(forPeople).filteredOn(line -> line.startsWith("Answer refused")).singleElement().asString()
        .startsWith("Answer refused | dave | api | reject, refused (not_an_approver)").endsWith("Their comment: I would not ship this");
    assertThat(forPipeline.findValuesAsText("detail")).filteredOn(detail -> detail.contains("not_an_approver")).singleElement()
        .asString().doesNotContain("I would not ship this");
  }

  @Test
  void refusedTokensIncidentsAndGatesDecidedInCircleCiAreInTheTimeline() {
    String viaIncident = pendingRequest("gh/acme/shop", "main", null);
    circleCi.refuseToken(FakeCircleCi.BOB_TOKEN, 401);
    decide(viaIncident, BOB, "approve", null);
    Job approve = management.createJobQuery().processInstanceId(viaIncident).singleResult();
    circleCi.failNext(100, 500, null);
    while (runtime.createIncidentQuery().processInstanceId(viaIncident).count() == 0) { // each retry as it falls due
      management.setJobDuedate(approve.getId(), new Date());
      assertThatThrownBy(() -> management.executeJob(approve.getId()));
    }
    circleCi.recover();
    management.setJobRetries(approve.getId(), 1); // an admin retries the incident in Cockpit
    management.executeJob(approve.getId());
    runDueJobs();

    assertStartInOrder(timeline(viaIncident).stream().map(AuditTrailTest::line).toList(),
        "Answered | bob | api | approve",
        "Incident | - | - | ApproveGate: CircleCI answered 500",
        "Incident resolved | - | - | ApproveGate is being tried again",
        "Token refused | bob | - | CircleCI answered HTTP 401 to bob's token; the approve call was made again with the service token",
        "CircleCI call | - | - | approve: HTTP 202, token of service",
        "Outcome | - | - | APPROVED");
    assertThat(client.get("/api/approvals/" + viaIncident, ACME_KEY_AUTH).body().get("timeline").findValuesAsText("detail"))
        .contains("ApproveGate failed after its retries; an admin sees why in Cockpit");

    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    circleCi.setJobStatus(workflowId, "hold", "success");
    String decidedInCircleCi = client.postJson("/api/approvals", ACME_KEY_AUTH,
        "{\"project_slug\": \"gh/acme/shop\", \"workflow_id\": \"" + workflowId + "\", \"approval_job\": \"hold\"}")
        .body().get("id").asText();
    runDueJobs();
    assertThat(timeline(decidedInCircleCi).stream().map(AuditTrailTest::line)).contains(
        "Decided in CircleCI | - | - | the gate was decided in CircleCI itself; Greenlight sent nothing");
  }

  @Test
  void theRoutingRowThatMatchedIsNamed() {
    String id = pendingRequest("gh/acme/payments-api", "main", null);

    assertThat(timeline(id)).map(AuditTrailTest::line).anySatisfy(line -> assertThat(line).startsWith(
        "Routed | - | - | Approver routing (version 1), row 1 (RulePaymentsMain) matched: Money moves: the main branch of any "
            + "payments project needs two approvals, sooner. → ask approvers, 2 approval(s), escalate after PT10M"));
  }

  @Test
  void theCsvExportHasARowPerEventAndKeepsFormulasAsText() {
    String id = pendingRequest("gh/acme/shop", "main", null, "=HYPERLINK(\"https://evil.example\")");
    decide(id, ALICE, "reject", "-1+1 is what I think of it");
    runDueJobs();

    Answer csv = client.get("/api/approvals/" + id + "/audit.csv", bearer(ACME_KEY));

    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"greenlight-" + id + ".csv\"");
    List<String> rows = csv.raw().body().lines().toList();
    assertThat(rows.get(0)).isEqualTo("request_id,project_slug,workflow_id,approval_job,status,at,event,user,channel,detail");
    assertThat(rows).hasSize(timeline(id).size() + 1);
    assertThat(rows).anySatisfy(row -> assertThat(row).contains(",Requested,\"'=HYPERLINK(\"\"https://evil.example\"\")\",api,")
        .startsWith("\"" + id + "\",gh/acme/shop,"));
    assertThat(rows).anySatisfy(row -> assertThat(row).contains(",Answered,alice,api,\"reject: -1+1 is what I think of it\""));
    assertThat(rows).noneMatch(row -> row.contains(",=") || row.contains(",\"="));

    JsonNode json = client.get("/api/approvals/" + id + "/audit.csv?format=json", bearer(ACME_KEY)).body();
    assertThat(json.get("timeline")).isEqualTo(client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().get("timeline"));
    assertThat(client.get("/api/approvals/" + id + "/audit", bearer(ACME_KEY)).body().get("id").asText()).isEqualTo(id);
    assertThat(client.get("/api/approvals/" + id + "/audit?format=csv", bearer(ACME_KEY)).raw().body()).startsWith("request_id,");
    Answer unknownFormat = client.get("/api/approvals/" + id + "/audit?format=xlsx", bearer(ACME_KEY));
    assertThat(unknownFormat.status()).isEqualTo(400);
    assertThat(unknownFormat.body().get("field").asText()).isEqualTo("format");
  }

  @Test
  void whoApprovedWhatInAPeriodIsOneQuery() {
    String approvedByAlice = pendingRequest("gh/acme/shop", "main", null);
    decide(approvedByAlice, ALICE, "approve", null);
    String approvedByBob = pendingRequest("gh/acme/shop", "main", null);
    decide(approvedByBob, BOB, "approve", null);
    String refusedToDave = pendingRequest("gh/acme/shop", "main", null);
    decide(refusedToDave, DAVE, "approve", null);
    runDueJobs();
    Instant now = Instant.now();
    String window = "&from=" + now.minus(Duration.ofHours(1)) + "&to=" + now.plus(Duration.ofHours(1));

    JsonNode alices = client.get("/api/approvals?decided_by=alice" + window + "&limit=100", ACME_KEY_AUTH).body();
    assertThat(alices.findValuesAsText("id")).contains(approvedByAlice).doesNotContain(approvedByBob, refusedToDave);
    assertThat(alices.findParents("decisions")).allSatisfy(approval ->
        assertThat(approval.get("decisions").findValuesAsText("user")).contains("alice"));
    assertThat(client.get("/api/approvals?decided_by=dave", ACME_KEY_AUTH).body()).isEmpty();
    assertThat(client.get("/api/approvals?decided_by=bob&from=2000-01-01&to=2000-01-31", ACME_KEY_AUTH).body()).isEmpty();
    assertThat(client.get("/api/approvals?limit=100" + window, ACME_KEY_AUTH).body().findValuesAsText("id"))
        .contains(approvedByAlice, approvedByBob, refusedToDave);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    assertThat(client.get("/api/approvals?decided_by=alice&from=" + tomorrow + "&to=" + tomorrow, ACME_KEY_AUTH).body()).isEmpty();
    assertThat(client.get("/api/approvals?decided_by=alice&to=" + today + "&limit=100", ACME_KEY_AUTH).body().findValuesAsText("id"))
        .as("'to' as a day includes that day").contains(approvedByAlice);

    assertInvalid("/api/approvals?from=yesterday", "from");
    assertInvalid("/api/approvals?from=2026-11-05&to=2026-11-04", "to");
    assertInvalid("/api/approvals?decided_by=alice%20or%201=1", "decided_by");
  }

  @Test
  void prometheusShowsRequestsOutcomesDecisionTimeNotificationsAndCalls() {
    List<String> counted = List.of(
        "greenlight_requests_started_total{channel=\"api\"",
        "greenlight_requests_ended_total{changes=",
        "greenlight_decision_time_seconds_count{gate=\"circleci\",outcome=\"APPROVED\"",
        "greenlight_notifications_total{channel=\"sms\",status=\"queued\"",
        "greenlight_notifications_total{channel=\"email\",status=\"sent\"",
        "greenlight_circleci_calls_seconds_count{operation=\"approve\",outcome=\"ok\"",
        "greenlight_circleci_calls_seconds_count{operation=\"list_jobs\",outcome=\"ok\"",
        "greenlight_twilio_calls_seconds_count{operation=\"send_sms\",outcome=\"ok\"");
    String before = client.get("/actuator/prometheus", DAVE).raw().body();

    String id = pendingRequest("gh/acme/shop", "main", null);
    decide(id, ALICE, "approve", null);
    runDueJobs();

    String after = client.get("/actuator/prometheus", DAVE).raw().body();
    for (String series : counted) {
      assertThat(sample(after, series)).as(series).isGreaterThan(sample(before, series));
    }
    // Requests ended are counted by the rules they had and whether the change they deployed was known.
    assertThat(after).containsPattern("(?m)^greenlight_requests_ended_total\\{changes=\"(known|unknown)\",gate=\"circleci\",outcome=\"APPROVED\",rules=\"1\"\\} ")
        .contains("greenlight_decision_time_seconds_bucket{gate=\"circleci\",outcome=\"APPROVED\"")
        .containsPattern("(?m)^greenlight_requests_pending(\\{\\})? \\d")
        .containsPattern("(?m)^greenlight_incidents_open(\\{\\})? \\d");
  }

  /** The value of the series starting with {@code prefix} in a Prometheus scrape, 0 when absent. */
  private static double sample(String scrape, String prefix) {
    return scrape.lines().filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static final String ACME_KEY_AUTH = bearer(ACME_KEY);

  /** Each of {@code beginnings} starts a line, in this order (other lines may come between). */
  private static void assertStartInOrder(List<String> lines, String... beginnings) {
    int next = 0;
    for (String line : lines) {
      if (next < beginnings.length && line.startsWith(beginnings[next])) {
        next++;
      }
    }
    assertThat(next).as("lines in order, up to '" + (next < beginnings.length ? beginnings[next] : "") + "', in\n"
        + String.join("\n", lines)).isEqualTo(beginnings.length);
  }

  private void assertInvalid(String path, String field) {
    Answer answer = client.get(path, ACME_KEY_AUTH);
    assertThat(answer.status()).as(path).isEqualTo(400);
    assertThat(answer.body().get("error").asText()).isEqualTo("invalid_parameter");
    assertThat(answer.body().get("field").asText()).isEqualTo(field);
  }

  /** "event | user | channel | detail", for reading assertions. */
  static String line(JsonNode entry) {
    return entry.get("event").asText() + " | " + entry.path("user").asText("-") + " | " + entry.path("channel").asText("-")
        + " | " + entry.get("detail").asText();
  }

  private List<JsonNode> timeline(String id) {
    List<JsonNode> entries = new java.util.ArrayList<>();
    client.get("/api/approvals/" + id, ALICE).body().get("timeline").forEach(entries::add);
    return entries;
  }

  private String pendingRequest(String projectSlug, String branch, String summary) {
    return pendingRequest(projectSlug, branch, summary, "octocat");
  }

  /** A request waiting for its decision; {@code requester} is who CircleCI says triggered the pipeline. */
  private String pendingRequest(String projectSlug, String branch, String summary, String requester) {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", projectSlug);
    circleCi.triggeredBy(workflowId, requester, branch, "abc1234def5678901234567890abcdef12345678");
    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "%s", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat", "branch": "%s"%s}
        """.formatted(projectSlug, workflowId, branch, summary == null ? "" : ", \"summary\": \"" + summary + "\""));
    assertThat(created.status()).isEqualTo(201);
    runDueJobs();
    return created.body().get("id").asText();
  }

  private String code(String id) {
    return client.get("/api/approvals/" + id, ALICE).body().get("code").asText();
  }

  private Answer decide(String id, String authorization, String decision, String comment) {
    return client.postJson("/api/approvals/" + id + "/decision", authorization,
        comment == null ? "{\"decision\": \"" + decision + "\"}"
            : "{\"decision\": \"" + decision + "\", \"comment\": " + json(comment) + "}");
  }

  private int engineComplete(String id, String user, String variables) {
    String authorization = basic(user, user + "-password");
    String taskId = client.get("/engine-rest/task?processInstanceId=" + id, authorization).body().get(0).get("id").asText();
    return client.postJson("/engine-rest/task/" + taskId + "/complete", authorization, "{\"variables\": " + variables + "}").status();
  }

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
