package io.greenlight.crash;

import static io.greenlight.testing.GreenlightProcess.awaitUntil;
import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.GreenlightProcess;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Greenlight on its default storage (the embedded H2 file database under {@code ./data/}) is killed with SIGKILL
 * again and again, at random moments while pipelines ask for approvals and approvers answer, and started again on
 * the same files. Afterwards every request and every decision Greenlight had confirmed is there, the deadlines that
 * fell due while it was down have fired, and every gate got exactly one CircleCI call (CircleCI answers slowly here,
 * so kills land in the middle of calls). The figures go to {@code target/crash-restart.txt}.
 */
class CrashRestartIT {

  private static final int KILLS = 5;
  private static final long SEED = 20261124L;
  private static final String KEY = "crash-key-0123456789abcdef";
  private static final String ADMIN_PASSWORD = "crash-admin-password";
  private static final String ALICE = basic("alice", "alice-password");
  /** Routing deployed for this test, as a process owner would from Camunda Modeler: escalate after 5 s, expire after 20 s. */
  private static final Duration EXPIRE_AFTER = Duration.ofSeconds(20);

  private final FakeCircleCi circleCi = new FakeCircleCi();
  private final Ledger ledger = new Ledger();
  private Path workingDirectory;
  private Path directoryFile;
  private int port;

  @Test
  void everythingConfirmedSurvivesRepeatedKillsAndEachGateGetsOneCircleCiCall() throws Exception {
    Random random = new Random(SEED);
    workingDirectory = Files.createTempDirectory("greenlight-crash");
    directoryFile = GreenlightProcess.twoApproversDirectory(workingDirectory.resolve("directory.yaml"), KEY);
    port = GreenlightProcess.freePort();
    circleCi.answerPostsAfter(300);
    List<Duration> restarts = new ArrayList<>();

    GreenlightProcess node = start(0);
    node.awaitHealthy(Duration.ofSeconds(120));
    deployFastRouting(node.client());
    for (int kill = 1; kill <= KILLS; kill++) {
      Load load = Load.start(node.client(), circleCi, ledger, random.nextLong());
      Thread.sleep(1500 + random.nextInt(2500));
      node.kill();
      load.stop();
      if (kill < KILLS) {
        node = start(kill);
        restarts.add(node.awaitHealthy(Duration.ofSeconds(120)));
      }
    }
    // Down long enough for every unanswered request's deadline to fall due while nothing runs.
    Thread.sleep(EXPIRE_AFTER.plusSeconds(5).toMillis());
    Instant backAt = Instant.now();
    node = start(KILLS);
    restarts.add(node.awaitHealthy(Duration.ofSeconds(120)));
    GreenlightTestClient client = node.client();
    try {
      assertThat(ledger.failures).as("answers other than success or a documented refusal").isEmpty();
      awaitUntil(Duration.ofSeconds(120), () -> ledger.confirmedRequests.keySet().stream()
          .noneMatch(id -> "PENDING".equals(client.get("/api/approvals/" + id, bearer(KEY)).body().get("status").asText())));

      Map<String, JsonNode> requests = new HashMap<>();
      ledger.confirmedRequests.keySet().forEach(id -> requests.put(id, client.get("/api/approvals/" + id, bearer(KEY)).body()));
      assertThat(requests.values()).as("every confirmed request is kept").allSatisfy(request -> assertThat(request.get("id")).isNotNull());
      for (String id : ledger.confirmedDecisions) {
        assertThat(requests.get(id).get("status").asText()).as("request %s, decision confirmed", id).isEqualTo("APPROVED");
        assertThat(requests.get(id).get("decisions").findValuesAsText("user")).containsExactly("alice");
      }
      for (Map.Entry<String, JsonNode> request : requests.entrySet()) {
        String id = request.getKey();
        String status = request.getValue().get("status").asText();
        if (!ledger.confirmedDecisions.contains(id) && !ledger.decisionsInDoubt.contains(id)) {
          assertThat(status).as("request %s, never answered", id).isEqualTo("EXPIRED");
        } else {
          assertThat(status).as("request %s", id).isIn("APPROVED", "EXPIRED");
        }
        String workflowId = ledger.confirmedRequests.get(id);
        List<FakeCircleCi.Recorded> calls = new ArrayList<>(circleCi.requests("POST", "/workflow/" + workflowId + "/"));
        assertThat(calls).as("CircleCI calls for request %s (%s)", id, status).hasSize(1);
        assertThat(calls.get(0).path()).contains("APPROVED".equals(status) ? "/approve/" : "/cancel");
      }
      for (String workflowId : ledger.requestsInDoubt) {
        assertThat(circleCi.requests("POST", "/workflow/" + workflowId + "/")).as("calls for a request in doubt").hasSizeLessThanOrEqualTo(1);
      }
      assertThat(gatesWithMoreThanOneRequest(client)).as("one request per gate").isEmpty();

      long firedAfterRestart = requests.values().stream()
          .filter(request -> "EXPIRED".equals(request.get("status").asText()))
          .filter(request -> Instant.parse(request.get("expires_at").asText()).isBefore(backAt)
              && Instant.parse(request.get("ended_at").asText()).isAfter(backAt))
          .count();
      assertThat(firedAfterRestart).as("deadlines that fell due while Greenlight was down fire after the restart").isPositive();
      report(requests, firedAfterRestart, restarts);
    } finally {
      node.kill();
      circleCi.close();
    }
  }

  private GreenlightProcess start(int run) {
    return GreenlightProcess.start("crash-restart-run-" + run, port, List.of(
        "--greenlight.directory-file=" + directoryFile,
        "--greenlight.public-base-url=http://127.0.0.1:" + port,
        "--greenlight.circleci.base-url=" + circleCi.baseUrl(),
        "--greenlight.circleci.token=" + FakeCircleCi.TOKEN,
        "--greenlight.admin.password=" + ADMIN_PASSWORD), workingDirectory);
  }

  /** The shipped routing table with short timings, deployed to the engine REST API as Camunda Modeler does. */
  private static void deployFastRouting(GreenlightTestClient client) throws Exception {
    String table = Files.readString(Path.of("bpmn", "approver-routing.dmn"))
        .replace("\"PT15M\"", "\"PT5S\"").replace("\"PT3H\"", "\"PT" + EXPIRE_AFTER.toSeconds() + "S\"");
    String boundary = "greenlight-" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nfast-routing\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"approver-routing.dmn\"\r\n"
        + "Content-Type: application/xml\r\n\r\n" + table + "\r\n--" + boundary + "--\r\n";
    Answer deployed = client.send(client.request("/engine-rest/deployment/create", basic("admin", ADMIN_PASSWORD))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    assertThat(deployed.status()).as(deployed.raw().body()).isEqualTo(200);
  }

  private static List<String> gatesWithMoreThanOneRequest(GreenlightTestClient client) {
    Answer instances = client.get("/engine-rest/history/process-instance?processDefinitionKey=deployment-approval&maxResults=10000",
        basic("admin", ADMIN_PASSWORD));
    Map<String, Integer> perGate = new HashMap<>();
    instances.body().forEach(instance -> perGate.merge(instance.get("businessKey").asText(), 1, Integer::sum));
    return perGate.entrySet().stream().filter(gate -> gate.getValue() > 1).map(Map.Entry::getKey).toList();
  }

  private void report(Map<String, JsonNode> requests, long firedAfterRestart, List<Duration> restarts) throws Exception {
    List<Long> seconds = restarts.stream().map(Duration::toMillis).sorted().toList();
    String text = String.join("\n",
        "Crash-restart test (CrashRestartIT), seed " + SEED,
        "kills (SIGKILL at random moments under load): " + KILLS,
        "requests confirmed (201/200 answered) and kept: " + requests.size() + " of " + ledger.confirmedRequests.size(),
        "decisions confirmed (200 answered) and carried to CircleCI: " + ledger.confirmedDecisions.size(),
        "answers cut off by a kill (in doubt): " + ledger.requestsInDoubt.size() + " requests, " + ledger.decisionsInDoubt.size()
            + " decisions; each ended with at most one CircleCI call",
        "outcomes: " + requests.values().stream().map(r -> r.get("status").asText()).sorted().toList().stream()
            .collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.TreeMap::new, java.util.stream.Collectors.counting())),
        "deadlines due while down, fired after the restart: " + firedAfterRestart,
        "CircleCI calls per gate: exactly 1 for each of the " + requests.size() + " requests",
        "restart to healthy (ms): median " + seconds.get(seconds.size() / 2) + ", max " + seconds.get(seconds.size() - 1), "");
    Files.writeString(Path.of("target", "crash-restart.txt"), text);
    System.out.println(text);
  }

  /** What Greenlight confirmed, and what a kill left in doubt. */
  static final class Ledger {
    final Map<String, String> confirmedRequests = new ConcurrentHashMap<>(); // request id -> workflow id
    final Set<String> toApprove = ConcurrentHashMap.newKeySet();
    final Set<String> confirmedDecisions = ConcurrentHashMap.newKeySet();
    final Set<String> decisionsInDoubt = ConcurrentHashMap.newKeySet();
    final Set<String> requestsInDoubt = ConcurrentHashMap.newKeySet(); // workflow ids
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  }

  /** Two clients asking and answering until the node dies under them. */
  static final class Load {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    static Load start(GreenlightTestClient client, FakeCircleCi circleCi, Ledger ledger, long seed) {
      Load load = new Load();
      for (int i = 0; i < 2; i++) {
        Random random = new Random(seed + i);
        Thread thread = new Thread(() -> load.run(client, circleCi, ledger, random), "load-" + i);
        load.threads.add(thread);
        thread.start();
      }
      return load;
    }

    private void run(GreenlightTestClient client, FakeCircleCi circleCi, Ledger ledger, Random random) {
      while (running.get()) {
        try {
          List<String> waiting = new ArrayList<>(ledger.toApprove);
          waiting.removeAll(ledger.confirmedDecisions);
          waiting.removeAll(ledger.decisionsInDoubt);
          if (waiting.isEmpty() || random.nextBoolean()) {
            ask(client, circleCi, ledger, random);
          } else {
            answer(client, ledger, waiting.get(random.nextInt(waiting.size())));
          }
          Thread.sleep(100 + random.nextInt(200));
        } catch (UncheckedIOException killed) {
          return;
        } catch (RuntimeException | AssertionError unexpected) {
          ledger.failures.add(Thread.currentThread().getName() + ": " + unexpected);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static void ask(GreenlightTestClient client, FakeCircleCi circleCi, Ledger ledger, Random random) {
      String workflowId = UUID.randomUUID().toString();
      circleCi.workflowOnHold(workflowId, "hold");
      ledger.requestsInDoubt.add(workflowId);
      Answer created = client.postJson("/api/approvals", bearer(KEY), """
          {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
          """.formatted(workflowId));
      assertThat(created.status()).isEqualTo(201);
      String id = created.body().get("id").asText();
      ledger.confirmedRequests.put(id, workflowId);
      ledger.requestsInDoubt.remove(workflowId);
      if (random.nextInt(3) < 2) {
        ledger.toApprove.add(id);
      }
    }

    private static void answer(GreenlightTestClient client, Ledger ledger, String id) {
      ledger.decisionsInDoubt.add(id);
      Answer decided = client.postJson("/api/approvals/" + id + "/decision", ALICE, "{\"decision\": \"approve\"}");
      if (decided.status() == 200) {
        ledger.decisionsInDoubt.remove(id);
        ledger.confirmedDecisions.add(id);
      } else {
        // not_ready (the gate is still being looked up), or expired: nothing was recorded; maybe later
        assertThat(decided.status()).as(decided.raw().body()).isEqualTo(409);
        ledger.decisionsInDoubt.remove(id);
        if ("expired".equals(decided.body().get("error").asText())) {
          ledger.toApprove.remove(id);
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(30_000);
      }
    }
  }
}
