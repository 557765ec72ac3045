package io.greenlight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's REST API v4 on loopback, as {@code src/test/resources/contracts/gitlab-deployments.md} describes it, for
 * deployments waiting for approval in a protected environment whose rule the bot's one approval satisfies. It takes
 * the bot's token as {@code PRIVATE-TOKEN} or {@code Bearer} (else 401), and a project's full path encoded once (an
 * unencoded slash: 404 route; encoded twice: 404 project). It lists blocked deployments with GitLab's offset paging
 * ({@code per_page} 20 unless asked, at most 100; ascending ids unless {@code sort=desc}; {@code X-Next-Page} empty on
 * the last page); approves and rejects with GitLab's refusals (400 and its words: a comment over 255 characters, a
 * deployment not waiting); leaves an approved job manual until played, and refuses playing a job that is not
 * playable ("Unplayable Job"); answers a cancel 200 whatever the pipeline's state. It can fail the next calls (5xx, 429
 * with {@code Retry-After} and a plain-text body) and lose an answer after acting on the call.
 */
public class FakeGitLab extends FakeServer {

  public static final String TOKEN = "glpat-fake-bot-token-0123456789";
  public static final String BOT = "greenlight-bot";

  /** What this fake serves, as the contract names it; {@code ContractsTest} holds it to the contract. */
  public static final List<String> OPERATIONS = List.of(
      "GET /projects/:id/deployments",
      "GET /projects/:id/deployments/:deployment_id",
      "POST /projects/:id/deployments/:deployment_id/approval",
      "POST /projects/:id/jobs/:job_id/play",
      "GET /projects/:id/jobs/:job_id",
      "POST /projects/:id/pipelines/:pipeline_id/cancel");

  private static final Pattern PROJECT = Pattern.compile("^/api/v4/projects/([^/]+)(/.*)$");
  private static final Pattern DEPLOYMENTS = Pattern.compile("^/deployments$");
  private static final Pattern DEPLOYMENT = Pattern.compile("^/deployments/([0-9]+)$");
  private static final Pattern APPROVAL = Pattern.compile("^/deployments/([0-9]+)/approval$");
  private static final Pattern PLAY = Pattern.compile("^/jobs/([0-9]+)/play$");
  private static final Pattern JOB = Pattern.compile("^/jobs/([0-9]+)$");
  private static final Pattern CANCEL = Pattern.compile("^/pipelines/([0-9]+)/cancel$");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong IDS = new AtomicLong(7_000);

  /** A deploy job of a pipeline to an environment, and its deployment. */
  public static final class Deploy {
    public final String project;
    public final String environment;
    public final long pipelineId;
    public final long deploymentId = IDS.incrementAndGet();
    public final long jobId = IDS.incrementAndGet() + 880_000;
    public final String username;
    public final String ref;
    public final String sha;
    volatile String status = "blocked";
    volatile String jobStatus = "manual";
    final List<Map<String, Object>> approvals = new CopyOnWriteArrayList<>();

    Deploy(String project, String environment, long pipelineId, String username, String ref, String sha) {
      this.project = project;
      this.environment = environment;
      this.pipelineId = pipelineId;
      this.username = username;
      this.ref = ref;
      this.sha = sha;
    }

    public String jobStatus() {
      return jobStatus;
    }
  }

  /** A call that reached GitLab's logic (not an injected failure): method, path after the project, form or JSON fields. */
  public record Call(String method, String project, String path, Map<String, String> fields, int status) {}

  private final Map<Long, Deploy> deploys = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> cancelledPipelines = new CopyOnWriteArrayList<>();
  private final Deque<Integer> failures = new ArrayDeque<>();
  private volatile String loseAnswerOf;
  private volatile Runnable beforeNextPlay;

  public String baseUrl() {
    return root();
  }

  /** A pipeline of {@code project} (its full path) reached its deploy job to {@code environment}: blocked for approval. */
  public Deploy blockedDeploy(String project, String environment, long pipelineId, String username, String ref, String sha) {
    Deploy deploy = new Deploy(project, environment, pipelineId, username, ref, sha);
    deploys.put(deploy.deploymentId, deploy);
    return deploy;
  }

  /** Blocked deployments of other pipelines to the same environment, older than any made later. */
  public void otherBlockedDeploys(String project, String environment, int count) {
    for (int i = 0; i < count; i++) {
      blockedDeploy(project, environment, 1_000_000 + IDS.incrementAndGet(), "someone-else", "main", "0".repeat(40));
    }
  }

  /** The next calls fail with these statuses, in order, before GitLab's logic sees them. */
  public synchronized void failNext(int... statuses) {
    for (int status : statuses) {
      failures.add(status);
    }
  }

  /** GitLab acts on the next call of this operation ({@code approval}, {@code play}) and the answer is lost (502). */
  public void loseNextAnswerOf(String operation) {
    loseAnswerOf = operation;
  }

  /**
   * {@code cut} runs when the next play arrives, before GitLab acts on it or answers (a test kills Greenlight there: the
   * moment between the approval GitLab took and the play).
   */
  public void beforeNextPlay(Runnable cut) {
    beforeNextPlay = cut;
  }

  /** Someone approved the deployment in GitLab and ran the job there. */
  public void approvedAndRunInGitLab(Deploy deploy) {
    deploy.approvals.add(approval("release-manager", "approved", "fine by me"));
    deploy.jobStatus = "pending";
  }

  /** Every call of one pipeline's deployment or job that reached GitLab's logic, in order. */
  public List<Call> callsAbout(Deploy deploy) {
    return calls.stream().filter(call -> call.path().equals("/deployments/" + deploy.deploymentId + "/approval")
        || call.path().startsWith("/jobs/" + deploy.jobId) || call.path().startsWith("/pipelines/" + deploy.pipelineId))
        .toList();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<String> cancelledPipelines() {
    return List.copyOf(cancelledPipelines);
  }

  public synchronized void reset() {
    deploys.clear();
    calls.clear();
    cancelledPipelines.clear();
    failures.clear();
    loseAnswerOf = null;
    beforeNextPlay = null;
  }

  @Override
  protected void handle(HttpExchange exchange) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    Matcher project = PROJECT.matcher(rawPath);
    if (!project.matches()) {
      send(exchange, 404, Map.of("error", "404 Not Found"));
      return;
    }
    String token = exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (!TOKEN.equals(token) && !("Bearer " + TOKEN).equals(authorization)) {
      send(exchange, 401, Map.of("message", "401 Unauthorized"));
      return;
    }
    Integer failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      if (failure == 429) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        exchange.getResponseHeaders().add("RateLimit-Name", "throttle_authenticated_api");
        byte[] body = "Retry later".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(429, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      } else {
        send(exchange, failure, Map.of("message", failure + " Internal Server Error"));
      }
      return;
    }
    // The project's full path, encoded once: %2F between its parts; a %25 means it was encoded twice.
    String encoded = project.group(1);
    if (encoded.contains("%25") || !encoded.contains("%2F")) {
      send(exchange, 404, Map.of("message", "404 Project Not Found"));
      return;
    }
    String projectPath = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    String path = project.group(2);
    String method = exchange.getRequestMethod();
    Map<String, String> query = fields(exchange.getRequestURI().getRawQuery());
    Matcher matcher;
    if ("GET".equals(method) && DEPLOYMENTS.matcher(path).matches()) {
      list(exchange, projectPath, query);
    } else if ("GET".equals(method) && (matcher = DEPLOYMENT.matcher(path)).matches()) {
      Deploy deploy = deploy(projectPath, Long.parseLong(matcher.group(1)));
      if (deploy == null) {
        send(exchange, 404, Map.of("message", "404 Not found"));
      } else {
        Map<String, Object> body = deployment(deploy);
        body.put("approvals", deploy.approvals);
        body.put("pending_approval_count", "blocked".equals(deploy.status) && deploy.approvals.isEmpty() ? 1 : 0);
        send(exchange, 200, body);
      }
    } else if ("POST".equals(method) && (matcher = APPROVAL.matcher(path)).matches()) {
      approve(exchange, projectPath, path, Long.parseLong(matcher.group(1)), body(exchange));
    } else if ("POST".equals(method) && (matcher = PLAY.matcher(path)).matches()) {
      play(exchange, projectPath, path, Long.parseLong(matcher.group(1)));
    } else if ("GET".equals(method) && (matcher = JOB.matcher(path)).matches()) {
      long jobId = Long.parseLong(matcher.group(1));
      Deploy deploy = deploys.values().stream().filter(d -> d.jobId == jobId).findFirst().orElse(null);
      if (deploy == null || !deploy.project.equals(projectPath)) {
        send(exchange, 404, Map.of("message", "404 Not found"));
      } else {
        send(exchange, 200, job(deploy));
      }
    } else if ("POST".equals(method) && (matcher = CANCEL.matcher(path)).matches()) {
      long pipelineId = Long.parseLong(matcher.group(1));
      calls.add(new Call(method, projectPath, path, Map.of(), 200));
      cancelledPipelines.add(projectPath + "#" + pipelineId);
      // Cancelling leaves a manual job as it is: only the rejection drops it.
      deploys.values().stream().filter(d -> d.pipelineId == pipelineId)
          .filter(d -> !"manual".equals(d.jobStatus) && !"failed".equals(d.jobStatus)).forEach(d -> d.jobStatus = "canceled");
      send(exchange, 200, Map.of("id", pipelineId, "status", "canceled"));
    } else {
      send(exchange, 404, Map.of("error", "404 Not Found"));
    }
  }

  private void list(HttpExchange exchange, String projectPath, Map<String, String> query) throws IOException {
    String status = query.get("status");
    if (status != null && !List.of("created", "running", "success", "failed", "canceled", "skipped", "blocked").contains(status)) {
      send(exchange, 400, Map.of("error", "status does not have a valid value"));
      return;
    }
    int perPage = Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "20")));
    int page = Integer.parseInt(query.getOrDefault("page", "1"));
    Comparator<Deploy> byId = Comparator.comparingLong(deploy -> deploy.deploymentId);
    List<Deploy> matching = deploys.values().stream().filter(deploy -> deploy.project.equals(projectPath))
        .filter(deploy -> query.get("environment") == null || deploy.environment.equals(query.get("environment")))
        .filter(deploy -> status == null || deploy.status.equals(status))
        .sorted("desc".equals(query.get("sort")) ? byId.reversed() : byId).toList();
    int from = Math.min(matching.size(), (page - 1) * perPage);
    int to = Math.min(matching.size(), from + perPage);
    List<Map<String, Object>> body = new ArrayList<>();
    matching.subList(from, to).forEach(deploy -> body.add(deployment(deploy)));
    int pages = Math.max(1, (matching.size() + perPage - 1) / perPage);
    exchange.getResponseHeaders().add("X-Page", String.valueOf(page));
    exchange.getResponseHeaders().add("X-Per-Page", String.valueOf(perPage));
    exchange.getResponseHeaders().add("X-Next-Page", page < pages ? String.valueOf(page + 1) : "");
    exchange.getResponseHeaders().add("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
    exchange.getResponseHeaders().add("X-Total", String.valueOf(matching.size()));
    exchange.getResponseHeaders().add("X-Total-Pages", String.valueOf(pages));
    calls.add(new Call("GET", projectPath, "/deployments", query, 200));
    send(exchange, 200, body);
  }

  private void approve(HttpExchange exchange, String projectPath, String path, long deploymentId, Map<String, String> fields)
      throws IOException {
    Deploy deploy = deploy(projectPath, deploymentId);
    if (deploy == null) {
      send(exchange, 404, Map.of("message", "404 Not found"));
      return;
    }
    String status = fields.get("status");
    if (status == null) {
      answer(exchange, new Call("POST", projectPath, path, fields, 400), Map.of("error", "status is missing"));
      return;
    }
    if (!status.equals("approved") && !status.equals("rejected")) {
      answer(exchange, new Call("POST", projectPath, path, fields, 400), Map.of("error", "status does not have a valid value"));
      return;
    }
    String comment = fields.get("comment");
    if (comment != null && comment.length() > 255) {
      answer(exchange, new Call("POST", projectPath, path, fields, 400),
          Map.of("message", List.of("Comment is too long (maximum is 255 characters)")));
      return;
    }
    boolean botApproved = deploy.approvals.stream().anyMatch(approval -> "approved".equals(approval.get("status")));
    if (!"blocked".equals(deploy.status) || !"manual".equals(deploy.jobStatus) || botApproved) {
      answer(exchange, new Call("POST", projectPath, path, fields, 400),
          Map.of("message", "This deployment is not waiting for approvals."));
      return;
    }
    Map<String, Object> approval = approval(BOT, status, comment);
    deploy.approvals.removeIf(given -> BOT.equals(((Map<?, ?>) given.get("user")).get("username")));
    deploy.approvals.add(approval);
    if ("rejected".equals(status)) {
      // A rejection drops the job for good; the deployment fails with it.
      deploy.jobStatus = "failed";
      deploy.status = "failed";
    }
    answer(exchange, new Call("POST", projectPath, path, fields, 201), approval, "approval");
  }

  private void play(HttpExchange exchange, String projectPath, String path, long jobId) throws IOException {
    Runnable cut = beforeNextPlay;
    if (cut != null) {
      beforeNextPlay = null;
      calls.add(new Call("POST", projectPath, path, Map.of(), 0));
      cut.run();
      exchange.close();
      return;
    }
    Deploy deploy = deploys.values().stream().filter(d -> d.jobId == jobId && d.project.equals(projectPath)).findFirst()
        .orElse(null);
    if (deploy == null) {
      send(exchange, 404, Map.of("message", "404 Not found"));
      return;
    }
    boolean approved = deploy.approvals.stream().anyMatch(approval -> "approved".equals(approval.get("status")));
    if (!"manual".equals(deploy.jobStatus) || !approved) {
      answer(exchange, new Call("POST", projectPath, path, Map.of(), 400), Map.of("message", "400 Bad request - Unplayable Job"));
      return;
    }
    deploy.jobStatus = "pending";
    deploy.status = "running";
    answer(exchange, new Call("POST", projectPath, path, Map.of(), 200), job(deploy), "play");
  }

  private void answer(HttpExchange exchange, Call call, Object body) throws IOException {
    answer(exchange, call, body, null);
  }

  /** Records the call and answers it, unless its answer is to be lost (GitLab acted; the caller sees a 502). */
  private void answer(HttpExchange exchange, Call call, Object body, String operation) throws IOException {
    calls.add(call);
    if (operation != null && operation.equals(loseAnswerOf)) {
      loseAnswerOf = null;
      send(exchange, 502, Map.of("message", "502 Bad Gateway"));
      return;
    }
    send(exchange, call.status(), body);
  }

  private Deploy deploy(String projectPath, long deploymentId) {
    Deploy deploy = deploys.get(deploymentId);
    return deploy == null || !deploy.project.equals(projectPath) ? null : deploy;
  }

  private static Map<String, Object> approval(String username, String status, String comment) {
    Map<String, Object> approval = new LinkedHashMap<>();
    approval.put("user", Map.of("id", BOT.equals(username) ? 77 : 78, "username", username, "name", username, "state", "active"));
    approval.put("status", status);
    approval.put("created_at", "2026-03-02T09:20:11.204Z");
    approval.put("comment", comment);
    return approval;
  }

  private Map<String, Object> deployment(Deploy deploy) {
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("id", deploy.deploymentId);
    deployment.put("iid", deploy.deploymentId % 1000);
    deployment.put("ref", deploy.ref);
    deployment.put("sha", deploy.sha);
    deployment.put("status", deploy.status);
    deployment.put("user", Map.of("id", 51, "username", deploy.username, "name", deploy.username, "state", "active"));
    deployment.put("environment", Map.of("id", 9, "name", deploy.environment, "slug", deploy.environment));
    deployment.put("deployable", job(deploy));
    return deployment;
  }

  private Map<String, Object> job(Deploy deploy) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", deploy.jobId);
    job.put("status", deploy.jobStatus);
    job.put("stage", "deploy");
    job.put("name", "deploy-" + deploy.environment);
    job.put("ref", deploy.ref);
    job.put("user", Map.of("id", 51, "username", deploy.username));
    job.put("pipeline", Map.of("id", deploy.pipelineId, "project_id", 4201, "sha", deploy.sha, "ref", deploy.ref,
        "status", "running", "web_url", root() + "/" + deploy.project + "/-/pipelines/" + deploy.pipelineId));
    job.put("web_url", root() + "/" + deploy.project + "/-/jobs/" + deploy.jobId);
    return job;
  }

  /** Form fields or a JSON object's, as GitLab takes either. */
  private static Map<String, String> body(HttpExchange exchange) throws IOException {
    String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith("application/json")) {
      Map<String, String> fields = new LinkedHashMap<>();
      JsonNode json = JSON.readTree(text);
      json.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
      return fields;
    }
    return fields(text);
  }

  private static Map<String, String> fields(String encoded) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return fields;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      fields.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }
}
