package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.approval.ActivityIds;
import io.greenlight.testing.FakeGitHub.PushedCommit;
import io.greenlight.testing.GreenlightApplicationTest;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;

/**
 * The change in front of the approver, end to end: a gate's second deploy is compared on GitHub with its first approved
 * one, and approvers read the commits and their authors in the API and their SMS; GitHub failing holds nothing up.
 */
class ChangeContextTest extends GreenlightApplicationTest {

  @Test
  void theCommitsSinceTheLastApprovedDeployAreInFrontOfTheApprover() {
    String repository = "acme/shop-" + UUID.randomUUID().toString().substring(0, 8);
    String base = sha("0");
    String fix = sha("1");
    String head = sha("2");
    github.push(repository, List.of(new PushedCommit(base, "octocat", "Octocat", "octocat", "The deploy before"),
        new PushedCommit(fix, "carol-gh", "Carol", "carol-gh", "Fix the checkout total\n\nRounding was off."),
        new PushedCommit(head, null, "Dee Vendor", "web-flow", "Vendor drop")));
    String first = requestDeploy("gh/" + repository, base);
    assertThat(approval(first).get("changes").isNull()).isTrue();
    assertThat(approval(first).get("changes_unknown").asText()).isEqualTo("No earlier deploy of this gate was approved in Greenlight.");
    approve(first, "alice");

    String second = requestDeploy("gh/" + repository, head);
    JsonNode changes = approval(second).get("changes");
    assertThat(changes.get("since_commit").asText()).isEqualTo(base);
    assertThat(changes.get("since_request").asText()).isEqualTo(first);
    assertThat(changes.get("commits").asInt()).isEqualTo(2);
    assertThat(changes.get("authors").toString()).isEqualTo("[\"carol-gh\",\"web-flow\"]");
    assertThat(changes.at("/list/0/title").asText()).isEqualTo("Vendor drop");
    assertThat(changes.at("/list/0/author").asText()).isEqualTo("Dee Vendor");
    assertThat(changes.at("/list/1/title").asText()).isEqualTo("Fix the checkout total");
    assertThat(changes.get("compare_url").asText()).contains(repository).contains(base.substring(0, 7));
    // The SMS names how many commits, by whom, since whose approval (the change is looked up while the request is routed).
    assertThat(twilio.messagesTo("+15551230002")).last().satisfies(sms -> assertThat(sms.form().get("Body"))
        .contains("2 commits by carol-gh and web-flow since the deploy alice approved (" + base.substring(0, 7) + ")."));
    assertThat(approval(second).get("timeline").toString()).contains("\"event\":\"Changes\"").contains("2 commit(s) since");
  }

  @Test
  void gitHubFailingIsRecordedAndTriedAgainWhileTheRequestGoesOn() {
    String repository = "acme/shop-" + UUID.randomUUID().toString().substring(0, 8);
    String base = sha("0");
    String head = sha("1");
    github.push(repository, List.of(new PushedCommit(base, "octocat", "Octocat", "octocat", "Before"),
        new PushedCommit(head, "carol-gh", "Carol", "carol-gh", "After")));
    approve(requestDeploy("gh/" + repository, base), "alice");

    github.failNextCompare(500, 500);
    String id = requestDeployExpectingTheLookupToFail("gh/" + repository, head);
    JsonNode pending = approval(id);
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("changes").isNull()).isTrue();
    assertThat(pending.get("changes_unknown").asText()).startsWith("GitHub did not answer yet");
    // The first try (while routing) and the job after it: both in the timeline.
    assertThat(pending.get("timeline").findValuesAsText("event")).containsSubsequence("Changes not looked up", "Changes not looked up");

    approve(id, "alice");
    assertThat(approval(id).get("status").asText()).isEqualTo("APPROVED");
  }

  private String requestDeploy(String projectSlug, String commit) {
    String id = startRequest(projectSlug, commit);
    runDueJobs();
    return id;
  }

  private String requestDeployExpectingTheLookupToFail(String projectSlug, String commit) {
    String id = startRequest(projectSlug, commit);
    for (int round = 0; round < 10; round++) {
      java.util.Set<String> lookups = management.createJobQuery().processInstanceId(id).activityId(ActivityIds.LOOK_UP_CHANGES_AGAIN)
          .list().stream().map(Job::getId).collect(java.util.stream.Collectors.toSet());
      for (Job job : management.createJobQuery().processInstanceId(id).executable().list()) {
        if (lookups.contains(job.getId())) {
          assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("500");
        } else if (management.createJobQuery().jobId(job.getId()).count() > 0) {
          management.executeJob(job.getId());
        }
      }
    }
    return id;
  }

  private String startRequest(String projectSlug, String commit) {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", projectSlug);
    circleCi.triggeredBy(workflowId, "octocat", "main", commit);
    return client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "%s", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "commit": "%s", "approver_group": "alice, bob"}""".formatted(projectSlug, workflowId, commit))
        .body().get("id").asText();
  }

  private void approve(String id, String user) {
    assertThat(client.postJson("/api/approvals/" + id + "/decision", basic(user, user + "-password"),
        "{\"decision\": \"approve\"}").status()).isEqualTo(200);
    runDueJobs();
  }

  private JsonNode approval(String id) {
    return client.get("/api/approvals/" + id, basic("alice", "alice-password")).body();
  }

  private static String sha(String filler) {
    return (UUID.randomUUID().toString().replace("-", "") + filler.repeat(8)).substring(0, 40);
  }
}
