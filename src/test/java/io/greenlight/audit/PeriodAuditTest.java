package io.greenlight.audit;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalVariables;
import io.greenlight.approval.JsonVariables;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * "Audit for a period": every request made in some UTC days, one row each, oldest first, as CSV and as JSON, for
 * auditors and admins. The engine's clock is set to days in the past that no other test uses, so that the days
 * exported hold exactly the requests made here; every request made here has ended when its test does (none leaves a
 * timer behind that would fall due in other tests).
 */
class PeriodAuditTest extends GreenlightApplicationTest {

  private static final String AUDREY = basic("audrey", "audrey-password");
  private static final String ADMIN = basic("admin", "test-admin-password");
  private static final String ALICE = basic("alice", "alice-password");
  private static final String BOB = basic("bob", "bob-password");
  private static final String IVAN = basic("ivan", "ivan-password");
  private static final String HEADER =
      "id,project_slug,gate,environment_or_job,requested_by,status,approved_by,rejected_by,break_glass,created_at,ended_at,history_url";

  @Autowired
  RuntimeService runtime;

  @Autowired
  HistoryService history;

  @Autowired
  ApprovalRequests requests;

  @Autowired
  PeriodExport periodExport;

  private final List<String> stillPending = new ArrayList<>();

  @AfterEach
  void endWhatIsPendingAndBackToNow() {
    stillPending.forEach(id -> runtime.deleteProcessInstance(id, "the test is over"));
    // The review a break-glass approval starts would fall due (and escalate) in later tests.
    runtime.createProcessInstanceQuery().processDefinitionKey(ApprovalVariables.REVIEW_PROCESS_KEY).list()
        .forEach(review -> runtime.deleteProcessInstance(review.getId(), "the test is over"));
    ClockUtil.reset();
  }

  @Test
  void aDayIsOneRowPerRequestInTheOrderTheyWereMadeAsCsvAndAsJson() throws Exception {
    String dayBefore = request("2026-03-13T23:59:59.999Z", "gh/acme/ledger", "octocat");
    decide(dayBefore, "2026-03-14T00:01:00Z", ALICE, "approve", null);
    String approved = request("2026-03-14T00:00:00Z", "gh/acme/ledger", "octocat");
    decide(approved, "2026-03-14T00:05:00Z", ALICE, "approve", "ship it");
    String rejected = request("2026-03-14T09:00:00Z", "gh/acme/ledger-ui", "=SUM(1,2)");
    decide(rejected, "2026-03-14T09:10:00.250Z", BOB, "reject", "not on a Saturday");
    // An incident in the afternoon: the ledger is frozen, and the incident commander approves the fix.
    Answer frozen = client.postJson("/api/freezes", BOB, """
        {"projects": "gh/acme/ledger", "starts_at": "2026-03-14T14:00:00Z", "ends_at": "2026-03-14T16:00:00Z", "reason": "incident 42"}
        """);
    assertThat(frozen.status()).as(frozen.raw().body()).isEqualTo(201);
    String breakGlass = request("2026-03-14T15:00:00Z", "gh/acme/ledger", "octocat");
    decide(breakGlass, "2026-03-14T15:20:00Z", IVAN, "approve", "checkout is down");
    String pending = request("2026-03-14T23:59:59.999Z", "gh/acme/ledger", "octocat");
    stillPending.add(pending);
    String dayAfter = request("2026-03-15T00:00:00Z", "gh/acme/ledger", "octocat");
    decide(dayAfter, "2026-03-15T00:01:00Z", BOB, "reject", "later");

    Answer csv = client.get("/api/audit.csv?from=2026-03-14&to=2026-03-14", AUDREY);

    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    assertThat(csv.header("X-Greenlight-Time-Zone")).isEqualTo("UTC");
    assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"greenlight-audit-2026-03-14-to-2026-03-14.csv\"");
    assertThat(csv.raw().body()).endsWith("\r\n").doesNotContain(dayBefore, dayAfter);
    assertThat(csv.raw().body().split("\r\n")).containsExactly(
        HEADER,
        approved + ",gh/acme/ledger,circleci,hold,octocat,APPROVED,alice,,false,2026-03-14T00:00:00Z,2026-03-14T00:05:00Z,"
            + PUBLIC_URL + "/history/" + approved,
        // A requester CircleCI names "=SUM(1,2)" would be a formula in a spreadsheet: kept as text, and quoted for its comma.
        rejected + ",gh/acme/ledger-ui,circleci,hold,\"'=SUM(1,2)\",REJECTED,,bob,false,2026-03-14T09:00:00Z,"
            + "2026-03-14T09:10:00.250Z," + PUBLIC_URL + "/history/" + rejected,
        breakGlass + ",gh/acme/ledger,circleci,hold,octocat,APPROVED,ivan,,true,2026-03-14T15:00:00Z,2026-03-14T15:20:00Z,"
            + PUBLIC_URL + "/history/" + breakGlass,
        pending + ",gh/acme/ledger,circleci,hold,octocat,PENDING,,,false,2026-03-14T23:59:59.999Z,," + PUBLIC_URL + "/history/" + pending);

    Answer json = client.get("/api/audit.json?from=2026-03-14&to=2026-03-14", AUDREY);

    assertThat(json.status()).isEqualTo(200);
    assertThat(json.header("Content-Type")).startsWith("application/json");
    assertThat(json.header("X-Greenlight-Time-Zone")).isEqualTo("UTC");
    assertThat(json.body()).isEqualTo(new ObjectMapper().readTree("""
        [{"id": "%1$s", "project_slug": "gh/acme/ledger", "gate": "circleci", "environment_or_job": "hold",
          "requested_by": "octocat", "status": "APPROVED", "approved_by": "alice", "rejected_by": "", "break_glass": false,
          "created_at": "2026-03-14T00:00:00Z", "ended_at": "2026-03-14T00:05:00Z", "history_url": "%5$s/history/%1$s"},
         {"id": "%2$s", "project_slug": "gh/acme/ledger-ui", "gate": "circleci", "environment_or_job": "hold",
          "requested_by": "=SUM(1,2)", "status": "REJECTED", "approved_by": "", "rejected_by": "bob", "break_glass": false,
          "created_at": "2026-03-14T09:00:00Z", "ended_at": "2026-03-14T09:10:00.250Z", "history_url": "%5$s/history/%2$s"},
         {"id": "%3$s", "project_slug": "gh/acme/ledger", "gate": "circleci", "environment_or_job": "hold",
          "requested_by": "octocat", "status": "APPROVED", "approved_by": "ivan", "rejected_by": "", "break_glass": true,
          "created_at": "2026-03-14T15:00:00Z", "ended_at": "2026-03-14T15:20:00Z", "history_url": "%5$s/history/%3$s"},
         {"id": "%4$s", "project_slug": "gh/acme/ledger", "gate": "circleci", "environment_or_job": "hold",
          "requested_by": "octocat", "status": "PENDING", "approved_by": "", "rejected_by": "", "break_glass": false,
          "created_at": "2026-03-14T23:59:59.999Z", "ended_at": null, "history_url": "%5$s/history/%4$s"}]
        """.formatted(approved, rejected, breakGlass, pending, PUBLIC_URL)));

    // Both days at the edges, and nothing of other days.
    assertThat(ids(client.get("/api/audit.json?from=2026-03-13&to=2026-03-15", ADMIN)))
        .containsExactly(dayBefore, approved, rejected, breakGlass, pending, dayAfter);
    assertThat(ids(client.get("/api/audit.json?from=2026-03-15&to=2026-03-15", ADMIN))).containsExactly(dayAfter);
  }

  @Test
  void theProjectGlobKeepsTheRequestsOfTheProjectsItCovers() {
    String shop = request("2026-03-17T08:00:00Z", "gh/acme/ledger", "octocat");
    decide(shop, "2026-03-17T08:01:00Z", ALICE, "approve", null);
    String ui = request("2026-03-17T09:00:00Z", "gh/acme/ledger-ui", "octocat");
    decide(ui, "2026-03-17T09:01:00Z", ALICE, "approve", null);
    String reports = request("2026-03-17T10:00:00Z", "gh/acme/reports", "octocat");
    decide(reports, "2026-03-17T10:01:00Z", BOB, "reject", "no");
    String day = "from=2026-03-17&to=2026-03-17";

    assertThat(ids(client.get("/api/audit.json?" + day, AUDREY))).containsExactly(shop, ui, reports);
    assertThat(ids(client.get("/api/audit.json?" + day + "&project=gh/acme/ledger", AUDREY))).containsExactly(shop);
    assertThat(ids(client.get("/api/audit.json?" + day + "&project=gh/acme/ledger*", AUDREY))).containsExactly(shop, ui);
    assertThat(ids(client.get("/api/audit.json?" + day + "&project=GH/ACME/*", AUDREY))).as("case does not matter, as for API keys")
        .containsExactly(shop, ui, reports);
    assertThat(ids(client.get("/api/audit.json?" + day + "&project=gh/*", AUDREY))).as("* stays within a segment").isEmpty();
    assertThat(ids(client.get("/api/audit.json?" + day + "&project=gh/**", AUDREY))).containsExactly(shop, ui, reports);
    assertThat(client.get("/api/audit.csv?" + day + "&project=gh/other/*", AUDREY).raw().body())
        .as("the header also when no request matches").isEqualTo(HEADER + "\r\n");
  }

  @Test
  void onlyAdminsAndAuditorsMayExportAPeriod() {
    String period = "?from=2026-03-14&to=2026-03-14";
    for (String path : List.of("/api/audit.csv", "/api/audit.json")) {
      assertThat(client.get(path + period, AUDREY).status()).as(path + " auditor").isEqualTo(200);
      assertThat(client.get(path + period, ADMIN).status()).as(path + " admin").isEqualTo(200);

      Answer approver = client.get(path + period, ALICE);
      assertThat(approver.status()).as(path + " approver").isEqualTo(403);
      assertThat(approver.body().get("error").asText()).isEqualTo("forbidden");
      assertThat(approver.body().get("message").asText()).contains("auditors");
      assertThat(approver.header("X-Greenlight-Time-Zone")).isNull();

      Answer apiKey = client.get(path + period, bearer(ACME_KEY));
      assertThat(apiKey.status()).as(path + " API key").isEqualTo(403);
      assertThat(apiKey.body().get("error").asText()).isEqualTo("forbidden");

      assertThat(client.get(path + period, null).status()).as(path + " nobody").isEqualTo(401);
      assertThat(client.get(path + "?from=yesterday", ALICE).status()).as("refused before the period is read").isEqualTo(403);
    }
  }

  @Test
  void aPeriodThatIsNotOneIsRefusedNamingTheParameter() {
    assertInvalid("?to=2026-03-14", "missing_parameter", "from");
    assertInvalid("?from=2026-03-14", "missing_parameter", "to");
    assertInvalid("?from=14.03.2026&to=2026-03-14", "invalid_parameter", "from");
    assertInvalid("?from=2026-03-14T00:00:00Z&to=2026-03-14", "invalid_parameter", "from");
    assertInvalid("?from=2026-02-01&to=2026-02-30", "invalid_parameter", "to");
    assertInvalid("?from=2026-03-14&to=2026-03-13", "invalid_parameter", "to");
    assertInvalid("?from=2025-01-01&to=2026-01-02", "invalid_parameter", "to"); // 367 days
    assertInvalid("?from=2026-03-14&to=2026-03-14&project=gh/acme/%3Cshop%3E", "invalid_parameter", "project");

    assertThat(client.get("/api/audit.csv?from=2024-01-01&to=2024-12-31", AUDREY).status()).as("a leap year").isEqualTo(200);
    Answer tooLong = client.get("/api/audit.csv?from=2025-01-01&to=2026-01-02", AUDREY);
    assertThat(tooLong.header("Content-Type")).startsWith("application/json");
    assertThat(tooLong.body().get("message").asText()).isEqualTo("A period may span at most 366 days; export a longer one in parts.");
  }

  @Test
  void pagesComeOutCompleteAndInOrder() throws Exception {
    List<String> made = new ArrayList<>();
    for (String at : List.of("2026-03-19T08:00:00Z", "2026-03-19T09:00:00Z", "2026-03-19T09:00:00Z", "2026-03-19T10:00:00Z",
        "2026-03-19T11:00:00Z")) {
      String id = request(at, at.startsWith("2026-03-19T09") ? "gh/acme/ledger-ui" : "gh/acme/ledger", "octocat");
      decide(id, at.replace(":00:00Z", ":30:00Z"), ALICE, "approve", null);
      made.add(id);
    }
    // Made in the same millisecond: by id.
    List<String> inOrder = new ArrayList<>(List.of(made.get(0)));
    inOrder.addAll(made.subList(1, 3).stream().sorted().toList());
    inOrder.addAll(made.subList(3, 5));
    PeriodExport inPagesOfTwo = new PeriodExport(history, requests, 2);
    AuditPeriod day = AuditPeriod.parse("2026-03-19", "2026-03-19", null);

    List<List<String>> pages = new ArrayList<>();
    inPagesOfTwo.export(day, rows -> pages.add(rows.stream().map(PeriodRow::id).toList()));

    assertThat(pages).containsExactly(inOrder.subList(0, 2), inOrder.subList(2, 4), inOrder.subList(4, 5));

    List<List<String>> ofOneProject = new ArrayList<>();
    inPagesOfTwo.export(AuditPeriod.parse("2026-03-19", "2026-03-19", "gh/acme/ledger"),
        rows -> ofOneProject.add(rows.stream().map(PeriodRow::id).toList()));
    assertThat(ofOneProject).as("a page the glob empties is skipped")
        .containsExactly(List.of(made.get(0)), List.of(made.get(3)), List.of(made.get(4)));

    ByteArrayOutputStream written = new ByteArrayOutputStream();
    PeriodCsv csv = new PeriodCsv(written);
    inPagesOfTwo.export(day, csv);
    csv.close();
    List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).isEqualTo(HEADER);
    assertThat(lines.subList(1, lines.size())).extracting(line -> line.substring(0, line.indexOf(','))).isEqualTo(inOrder);
  }

  @Test
  void anExportThatFailsPartWayIsCutOffNotEndedAsIfWhole() throws Exception {
    List<String> made = new ArrayList<>();
    for (String at : List.of("2026-03-21T08:00:00Z", "2026-03-21T09:00:00Z", "2026-03-21T10:00:00Z")) {
      made.add(request(at, "gh/acme/ledger", "octocat"));
    }
    stillPending.addAll(made);
    // The last request cannot be read: its page fails after the first pages were sent.
    runtime.setVariable(made.get(2), ApprovalVariables.DECISIONS, "not the JSON of decisions");
    ReflectionTestUtils.setField(periodExport, "pageSize", 1);
    try {
      for (String path : List.of("/api/audit.csv", "/api/audit.json")) {
        HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path + "?from=2026-03-21&to=2026-03-21"))
            .header("Authorization", AUDREY).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.statusCode()).isEqualTo(200);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        assertThatThrownBy(() -> answer.body().transferTo(received)).as(path + " ends unfinished").isInstanceOf(IOException.class);
        assertThat(received.toString(StandardCharsets.UTF_8)).as(path + " sent before the failure").contains(made.get(0));
      }
    } finally {
      ReflectionTestUtils.setField(periodExport, "pageSize", PeriodExport.PAGE_SIZE);
      runtime.setVariable(made.get(2), ApprovalVariables.DECISIONS, JsonVariables.json(List.of()));
    }
  }

  private void assertInvalid(String query, String error, String field) {
    for (String path : List.of("/api/audit.csv", "/api/audit.json")) {
      Answer answer = client.get(path + query, AUDREY);
      assertThat(answer.status()).as(path + query).isEqualTo(400);
      assertThat(answer.body().get("error").asText()).as(path + query).isEqualTo(error);
      assertThat(answer.body().get("field").asText()).as(path + query).isEqualTo(field);
    }
  }

  private static List<String> ids(Answer export) {
    assertThat(export.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    export.body().forEach(row -> ids.add(row.get("id").asText()));
    return ids;
  }

  /** A request made at {@code at} (the engine's clock), its gate found and its approvers asked. */
  private String request(String at, String projectSlug, String requester) {
    ClockUtil.setCurrentTime(Date.from(Instant.parse(at)));
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", projectSlug);
    circleCi.triggeredBy(workflowId, requester, "main", "abc1234def5678901234567890abcdef12345678");
    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "%s", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat", "branch": "main"}
        """.formatted(projectSlug, workflowId));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    runDueJobs();
    return created.body().get("id").asText();
  }

  /** An answer given at {@code at}, and everything that follows it done then (the request ends at {@code at}). */
  private void decide(String id, String at, String authorization, String decision, String comment) {
    ClockUtil.setCurrentTime(Date.from(Instant.parse(at)));
    Answer answer = client.postJson("/api/approvals/" + id + "/decision", authorization,
        "{\"decision\": \"" + decision + "\"" + (comment == null ? "" : ", \"comment\": \"" + comment + "\"") + "}");
    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
    runDueJobs();
    JsonNode ended = client.get("/api/approvals/" + id, ADMIN).body();
    assertThat(ended.get("status").asText()).isNotEqualTo("PENDING");
  }
}
