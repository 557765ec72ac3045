package io.greenlight.audit;

import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The history pages as HTML (the browser test, TasklistAndHistoryBrowserIT, shows them drawn): behind the Tasklist
 * session, people's text shown as text, the diagram the request ran, and a sign-in that goes nowhere but back.
 */
class HistoryPagesTest extends GreenlightApplicationTest {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @Test
  void aRequestsPageShowsItsFactsTimelineAndPathWithPeoplesTextAsText() {
    String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    String id = pendingRequest(hostile);
    GreenlightTestClient alice = signedInToTasklist("alice");

    Answer page = alice.get("/history/" + id, null);

    assertThat(page.status()).isEqualTo(200);
    String html = page.raw().body();
    assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(html).contains("id=\"timeline\"").contains("Gate found").contains("Routed").contains("PENDING")
        .contains("data-current=\"[&quot;Decide&quot;,").contains("data-element-id=\"FindGate\"");
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");

    Answer diagram = alice.get("/history/" + id + "/diagram.bpmn", null);
    assertThat(diagram.header("Content-Type")).startsWith("application/xml");
    assertThat(diagram.raw().body()).contains("<bpmn:process id=\"deployment-approval\"").contains("bpmndi:BPMNDiagram");
    Answer csv = alice.get("/history/" + id + "/audit.csv", null);
    assertThat(csv.raw().body()).startsWith("request_id,").contains(",Requested,octocat,api,");

    assertThat(alice.get("/history/" + UUID.randomUUID(), null).status()).isEqualTo(404);
    assertThat(alice.get("/history/not-a-request", null).status()).isEqualTo(404);
    Answer badFilter = alice.get("/history?from=last-week", null);
    assertThat(badFilter.status()).isEqualTo(200);
    assertThat(badFilter.raw().body()).contains("from must be a day such as 2026-11-03");
  }

  @Test
  void signingInGoesBackToTheHistoryPageThatAskedAndNowhereElse() {
    String id = pendingRequest("Release 2.4");
    GreenlightTestClient browser = new GreenlightTestClient(port);

    Answer asked = browser.get("/history/" + id, null);
    assertThat(asked.status()).isEqualTo(302);
    String signIn = asked.header("Location");
    assertThat(signIn).endsWith("/history/sign-in?next=" + URLEncoder.encode("/history/" + id, StandardCharsets.UTF_8));

    Answer wrong = signIn(browser, "alice", "wrong-password", "/history/" + id);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.raw().body()).contains("Wrong user or password");
    Answer right = signIn(browser, "alice", "alice-password", "/history/" + id);
    assertThat(right.status()).isEqualTo(302);
    assertThat(right.header("Location")).endsWith("/history/" + id);
    assertThat(browser.get("/history/" + id, null).status()).isEqualTo(200);
    assertThat(browser.get("/camunda/api/engine/engine/default/task?processInstanceId=" + id, null).status())
        .as("the same session is Tasklist's").isEqualTo(200);

    for (String elsewhere : new String[] {"https://evil.example/", "//evil.example/history", "/camunda/app/cockpit/", "/history\\@evil"}) {
      GreenlightTestClient other = new GreenlightTestClient(port);
      Answer away = signIn(other, "bob", "bob-password", elsewhere);
      assertThat(away.header("Location")).as(elsewhere).endsWith("/history");
    }
    GreenlightTestClient withoutToken = new GreenlightTestClient(port);
    assertThat(withoutToken.postForm("/history/sign-in", "username=alice&password=alice-password", null).status())
        .as("the sign-in form needs its CSRF token").isEqualTo(403);
  }

  private Answer signIn(GreenlightTestClient browser, String user, String password, String next) {
    String form = browser.get("/history/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), null).raw().body();
    Matcher token = CSRF.matcher(form);
    assertThat(token.find()).as("the form carries a CSRF token").isTrue();
    return browser.postForm("/history/sign-in", "username=" + user + "&password=" + password + "&next="
        + URLEncoder.encode(next, StandardCharsets.UTF_8) + "&_csrf=" + token.group(1), null);
  }

  private GreenlightTestClient signedInToTasklist(String user) {
    GreenlightTestClient browser = new GreenlightTestClient(port);
    browser.webappLogin("tasklist", user, user + "-password");
    return browser;
  }

  private String pendingRequest(String summary) {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "summary": "%s"}""".formatted(workflowId, summary.replace("\"", "\\\"")));
    assertThat(created.status()).isEqualTo(201);
    runDueJobs();
    return created.body().get("id").asText();
  }
}
