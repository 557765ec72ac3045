package io.greenlight.gitlab;

import static io.greenlight.testing.GreenlightProcess.awaitUntil;
import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.greenlight.testing.FakeGitLab;
import io.greenlight.testing.FakeGitLab.Call;
import io.greenlight.testing.FakeGitLab.Deploy;
import io.greenlight.testing.GreenlightProcess;
import io.greenlight.testing.GreenlightTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar on its default H2 file, killed with SIGKILL in the one moment that matters for a GitLab gate: GitLab
 * took the bot's approval, and the play of the deploy job is on its way. Started again on the same files, the approve
 * step runs again: GitLab answers the repeated approval "not waiting for approvals", Greenlight finds its own approval
 * on the deployment, and plays the job once.
 */
class GitLabCrashIT {

  private static final String KEY = "gitlab-crash-key-0123456789";
  private static final String PROJECT = "acme/platform/shop";

  @Test
  void killedBetweenTheApprovalGitLabTookAndThePlayItPlaysTheJobOnceAfterTheRestart() throws Exception {
    Path workingDirectory = Files.createTempDirectory("greenlight-gitlab-crash");
    Path directory = Files.writeString(workingDirectory.resolve("directory.yaml"), """
        users:
          - { id: alice, email: alice@example.com, password: alice-password, groups: [approvers] }
          - { id: octocat, email: octocat@example.com, password: octocat-password, logins: [octo-gl], groups: [approvers] }
        groups:
          - id: approvers
        api-clients:
          - { id: gitlab-pipelines, key: %s, projects: ["gl/acme/**"] }
        """.formatted(KEY));
    int port = GreenlightProcess.freePort();
    try (FakeGitLab gitlab = new FakeGitLab()) {
      Deploy deploy = gitlab.blockedDeploy(PROJECT, "production", 9_101, "octo-gl", "main",
          "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e");
      List<String> arguments = List.of(
          "--greenlight.directory-file=" + directory,
          "--greenlight.public-base-url=http://127.0.0.1:" + port,
          "--greenlight.gitlab.base-url=" + gitlab.baseUrl(),
          "--greenlight.gitlab.token=" + FakeGitLab.TOKEN,
          "--greenlight.admin.password=gitlab-crash-admin-password");
      AtomicReference<GreenlightProcess> node = new AtomicReference<>(
          GreenlightProcess.start("gitlab-crash-run-0", port, arguments, workingDirectory));
      try {
        node.get().awaitHealthy(Duration.ofSeconds(120));
        GreenlightTestClient client = node.get().client();
        GreenlightTestClient.Answer created = client.postJson("/api/approvals", bearer(KEY), """
            {"project_slug": "gl/%s", "pipeline_id": 9101, "environment": "production", "requested_by": "octo-gl",
             "approver_group": "approvers"}
            """.formatted(PROJECT));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String id = created.body().get("id").asText();
        awaitUntil(Duration.ofSeconds(60), () -> client.get("/api/approvals/" + id, bearer(KEY)).body()
            .at("/gitlab/deployment_id").asLong() == deploy.deploymentId);

        gitlab.beforeNextPlay(() -> {
          try {
            node.get().kill();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        assertThat(client.postJson("/api/approvals/" + id + "/decision", basic("alice", "alice-password"),
            "{\"decision\": \"approve\"}").status()).isEqualTo(200);
        awaitUntil(Duration.ofSeconds(60), () -> !node.get().isAlive());

        node.set(GreenlightProcess.start("gitlab-crash-run-1", port, arguments, workingDirectory));
        node.get().awaitHealthy(Duration.ofSeconds(120));
        awaitUntil(Duration.ofSeconds(60), () -> "APPROVED".equals(
            client.get("/api/approvals/" + id, bearer(KEY)).body().get("status").asText()));

        // Taken once, cut off at the play (status 0: no answer), approval read back after the restart, played once.
        assertThat(gitlab.callsAbout(deploy)).extracting(Call::path, Call::status).containsExactly(
            tuple("/deployments/" + deploy.deploymentId + "/approval", 201),
            tuple("/jobs/" + deploy.jobId + "/play", 0),
            tuple("/deployments/" + deploy.deploymentId + "/approval", 400),
            tuple("/jobs/" + deploy.jobId + "/play", 200));
        assertThat(deploy.jobStatus()).isEqualTo("pending");
      } finally {
        node.get().kill();
      }
    }
  }
}
