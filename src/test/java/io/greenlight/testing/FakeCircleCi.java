package io.greenlight.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CircleCI API v2 on loopback, answering the operations Greenlight uses ({@link #OPERATIONS}) with the shapes of
 * {@code src/test/resources/contracts/circleci-openapi.json}: {@code listWorkflowJobs} ({@code {items, next_page_token}},
 * paged by {@code page-token}), {@code approvePendingApprovalJobById} and {@code cancelWorkflow}
 * (202 {@code {message}}), errors as {@code {message}}. It records every request and can be told to fail.
 */
public class FakeCircleCi extends FakeServer {

  public static final String TOKEN = "fake-circle-token";
  /** The token of an approver, known to CircleCI as their own (see {@code directory} of the tests). */
  public static final String ALICE_TOKEN = "alice-own-circle-token";
  /** Bob's own token (the Spring tests' directory). */
  public static final String BOB_TOKEN = "bob-own-circle-token";

  /** What this fake serves, as the contract names them (method and path template); {@code ContractsTest} holds it to both. */
  public static final List<String> OPERATIONS = List.of("GET /workflow/{id}/job",
      "POST /workflow/{id}/approve/{approval_request_id}", "POST /workflow/{id}/cancel", "GET /workflow/{id}",
      "GET /pipeline/{pipeline-id}");

  private static final Pattern JOBS = Pattern.compile("^/api/v2/workflow/([^/]+)/job$");
  private static final Pattern APPROVE = Pattern.compile("^/api/v2/workflow/([^/]+)/approve/([^/]+)$");
  private static final Pattern CANCEL = Pattern.compile("^/api/v2/workflow/([^/]+)/cancel$");
  private static final Pattern WORKFLOW = Pattern.compile("^/api/v2/workflow/([^/]+)$");
  private static final Pattern PIPELINE = Pattern.compile("^/api/v2/pipeline/([^/]+)$");
  /** Who triggers a workflow's pipeline unless a test says otherwise, and what it builds. */
  public static final String DEFAULT_ACTOR = "octocat";
  public static final String DEFAULT_REVISION = "abc1234def5678901234567890abcdef12345678";

  private final Map<String, List<Map<String, Object>>> workflows = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Map<String, Integer> refusedTokens = new ConcurrentHashMap<>();
  private final Map<String, Integer> approvalsTakingEffect = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> pipelinesByWorkflow = new ConcurrentHashMap<>();
  private volatile int pageSize = 50;
  private volatile long postAnswerDelayMillis;

  /** A request as received; {@code receivedNanos} is {@link System#nanoTime()} on arrival (benchmarks time it). */
  private volatile Consumer<Recorded> onRequest;

  public record Recorded(String method, String path, String query, String circleToken, String body, long receivedNanos) {}

  private record Failure(String method, int status, String retryAfter, boolean afterApplying, long hangMillis) {}

  public String baseUrl() {
    return root() + "/api/v2";
  }

  /** A workflow with a finished build, an approval job {@code approvalJob} on hold, and a blocked deploy. */
  public String workflowOnHold(String workflowId, String approvalJob) {
    return workflowOnHold(workflowId, approvalJob, "gh/acme/shop");
  }

  public String workflowOnHold(String workflowId, String approvalJob, String projectSlug) {
    String approvalRequestId = UUID.randomUUID().toString();
    List<Map<String, Object>> jobs = new CopyOnWriteArrayList<>();
    jobs.add(job("build", "build", "success", null));
    jobs.add(job(approvalJob, "approval", "on_hold", approvalRequestId));
    jobs.add(job("deploy", "build", "blocked", null));
    jobs.forEach(job -> job.put("project_slug", projectSlug));
    workflows.put(workflowId, jobs);
    triggeredBy(workflowId, DEFAULT_ACTOR, "main", DEFAULT_REVISION);
    return approvalRequestId;
  }

  /** CircleCI no longer knows the workflow's pipeline (404). */
  public void withoutPipeline(String workflowId) {
    pipelinesByWorkflow.remove(workflowId);
  }

  /** The workflow's pipeline was triggered by {@code login}, building {@code branch} (null for a tag) at {@code revision}. */
  public void triggeredBy(String workflowId, String login, String branch, String revision) {
    Map<String, Object> vcs = new LinkedHashMap<>();
    vcs.put("provider_name", "GitHub");
    vcs.put("origin_repository_url", "https://github.com/acme/shop");
    vcs.put("target_repository_url", "https://github.com/acme/shop");
    vcs.put("revision", revision);
    if (branch != null) {
      vcs.put("branch", branch);
    } else {
      vcs.put("tag", "v1.0.0");
    }
    Map<String, Object> pipeline = new LinkedHashMap<>();
    pipeline.put("id", UUID.randomUUID().toString());
    pipeline.put("number", 1);
    pipeline.put("project_slug", "gh/acme/shop");
    pipeline.put("created_at", "2026-11-24T10:00:00Z");
    pipeline.put("errors", List.of());
    pipeline.put("state", "created");
    pipeline.put("trigger", Map.of("type", "webhook", "received_at", "2026-11-24T10:00:00Z",
        "actor", Map.of("login", login, "avatar_url", "https://avatars.example.com/" + login)));
    pipeline.put("vcs", vcs);
    pipelinesByWorkflow.put(workflowId, pipeline);
  }

  public void addJob(String workflowId, String name, String type, String status) {
    workflows.computeIfAbsent(workflowId, id -> new CopyOnWriteArrayList<>())
        .add(job(name, type, status, "approval".equals(type) ? UUID.randomUUID().toString() : null));
  }

  /** Somebody acts in CircleCI itself: the job takes another status. */
  public void setJobStatus(String workflowId, String jobName, String status) {
    workflows.get(workflowId).stream().filter(job -> jobName.equals(job.get("name"))).forEach(job -> job.put("status", status));
  }

  public String jobStatus(String workflowId, String jobName) {
    return workflows.get(workflowId).stream().filter(job -> jobName.equals(job.get("name")))
        .map(job -> (String) job.get("status")).findFirst().orElse(null);
  }

  public void pageSize(int size) {
    this.pageSize = size;
  }

  /** The next {@code count} requests are answered with {@code status} (and {@code Retry-After}, when given). */
  public synchronized void failNext(int count, int status, String retryAfter) {
    for (int i = 0; i < count; i++) {
      failures.add(new Failure(null, status, retryAfter, false, 0));
    }
  }

  /** The next POST (approve or cancel) is answered with {@code status}; reads still succeed. */
  public synchronized void failNextPost(int status) {
    failures.add(new Failure("POST", status, null, false, 0));
  }

  /** The next request gets no answer for {@code millis} (longer than the caller's read timeout, to test it). */
  public synchronized void hangNext(long millis) {
    failures.add(new Failure(null, 0, null, false, millis));
  }

  /** How many times the approve call for this workflow took effect (a caller may have made more calls). */
  public int approvalsTakingEffect(String workflowId) {
    return approvalsTakingEffect.getOrDefault(workflowId, 0);
  }

  /** The next POST is carried out, but answered with {@code status}: the caller never learns it worked. */
  public synchronized void applyNextPostButAnswer(int status) {
    failures.add(new Failure("POST", status, null, true, 0));
  }

  /** CircleCI no longer takes this token: every request with it is answered {@code status} (401, 403, 404). */
  public void refuseToken(String token, int status) {
    refusedTokens.put(token, status);
  }

  /** Approve and cancel calls take effect at once but are answered only after {@code millis}: a caller may die waiting. */
  public void answerPostsAfter(long millis) {
    this.postAnswerDelayMillis = millis;
  }

  /** Called with every request as it arrives, before it is answered. */
  public void onRequest(Consumer<Recorded> listener) {
    this.onRequest = listener;
  }

  /** Keeps no record of requests (a benchmark sends hundreds of thousands; listeners still hear them). */
  public void forgetRequests() {
    requests.clear();
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public List<Recorded> requests(String method, String pathPart) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).toList();
  }

  /** The outage is over: failures still queued are dropped; workflows stay as they are. */
  public synchronized void recover() {
    failures.clear();
  }

  public void reset() {
    workflows.clear();
    requests.clear();
    refusedTokens.clear();
    pipelinesByWorkflow.clear();
    approvalsTakingEffect.clear();
    synchronized (this) {
      failures.clear();
    }
    pageSize = 50;
    postAnswerDelayMillis = 0;
  }

  @Override
  protected void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String token = exchange.getRequestHeaders().getFirst("Circle-Token");
    Recorded recorded = new Recorded(method, path, query, token, body, System.nanoTime());
    requests.add(recorded);
    Consumer<Recorded> listener = onRequest;
    if (listener != null) {
      listener.accept(recorded);
    }

    Failure failure;
    synchronized (this) {
      Failure next = failures.peek();
      failure = next != null && (next.method() == null || next.method().equals(method)) ? failures.poll() : null;
    }
    if (failure != null && failure.hangMillis() > 0) {
      pause(failure.hangMillis());
      failure = null;
    }
    if (failure != null && failure.afterApplying()) {
      Matcher approve = APPROVE.matcher(path);
      if (approve.matches()) {
        Map<String, Object> gate = findGate(approve.group(1), approve.group(2));
        if (gate != null) {
          gate.put("status", "success");
          approvalsTakingEffect.merge(approve.group(1), 1, Integer::sum);
        }
      }
      Matcher cancel = CANCEL.matcher(path);
      if (cancel.matches() && workflows.containsKey(cancel.group(1))) {
        workflows.get(cancel.group(1)).stream().filter(job -> !"success".equals(job.get("status")))
            .forEach(job -> job.put("status", "canceled"));
      }
    }
    if (failure != null) {
      if (failure.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
      }
      send(exchange, failure.status(), Map.of("message", "Simulated failure " + failure.status()));
      return;
    }
    if (token != null && refusedTokens.containsKey(token)) {
      int status = refusedTokens.get(token);
      send(exchange, status, Map.of("message", status == 404 ? "Project not found" : status == 403 ? "Forbidden" : "Invalid token provided."));
      return;
    }
    if (!TOKEN.equals(token) && !ALICE_TOKEN.equals(token) && !BOB_TOKEN.equals(token)) {
      send(exchange, 401, Map.of("message", "You must log in first."));
      return;
    }
    Matcher matcher;
    if ("GET".equals(method) && (matcher = JOBS.matcher(path)).matches()) {
      listJobs(exchange, matcher.group(1), query);
    } else if ("POST".equals(method) && (matcher = APPROVE.matcher(path)).matches()) {
      approve(exchange, matcher.group(1), matcher.group(2));
    } else if ("POST".equals(method) && (matcher = CANCEL.matcher(path)).matches()) {
      cancel(exchange, matcher.group(1));
    } else if ("GET".equals(method) && (matcher = WORKFLOW.matcher(path)).matches()) {
      workflow(exchange, matcher.group(1));
    } else if ("GET".equals(method) && (matcher = PIPELINE.matcher(path)).matches()) {
      pipeline(exchange, matcher.group(1));
    } else {
      send(exchange, 404, Map.of("message", "Not found."));
    }
  }

  private void listJobs(HttpExchange exchange, String workflowId, String query) throws IOException {
    List<Map<String, Object>> jobs = workflows.get(workflowId);
    if (jobs == null) {
      send(exchange, 404, Map.of("message", "Workflow not found"));
      return;
    }
    int from = 0;
    if (query != null && query.startsWith("page-token=")) {
      from = Integer.parseInt(query.substring("page-token=".length()).replace("page", ""));
    }
    int to = Math.min(from + pageSize, jobs.size());
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", new ArrayList<>(jobs.subList(from, to)));
    page.put("next_page_token", to < jobs.size() ? "page" + to : null);
    send(exchange, 200, page);
  }

  /** {@code getWorkflowById}: the fields the contract requires. */
  private void workflow(HttpExchange exchange, String workflowId) throws IOException {
    Map<String, Object> pipeline = pipelinesByWorkflow.get(workflowId);
    if (pipeline == null) {
      send(exchange, 404, Map.of("message", "Workflow not found"));
      return;
    }
    Map<String, Object> workflow = new LinkedHashMap<>();
    workflow.put("id", workflowId);
    workflow.put("name", "build-and-deploy");
    workflow.put("status", "on_hold");
    workflow.put("created_at", "2026-11-24T10:00:01Z");
    workflow.put("stopped_at", null);
    workflow.put("pipeline_id", pipeline.get("id"));
    workflow.put("pipeline_number", pipeline.get("number"));
    workflow.put("project_slug", pipeline.get("project_slug"));
    workflow.put("started_by", UUID.nameUUIDFromBytes(String.valueOf(pipeline.get("trigger")).getBytes(StandardCharsets.UTF_8)).toString());
    send(exchange, 200, workflow);
  }

  /** {@code getPipelineById}: who triggered it and what it builds. */
  private void pipeline(HttpExchange exchange, String pipelineId) throws IOException {
    Map<String, Object> pipeline = pipelinesByWorkflow.values().stream().filter(p -> pipelineId.equals(p.get("id"))).findFirst().orElse(null);
    if (pipeline == null) {
      send(exchange, 404, Map.of("message", "Pipeline not found"));
      return;
    }
    send(exchange, 200, pipeline);
  }

  private void approve(HttpExchange exchange, String workflowId, String approvalRequestId) throws IOException {
    Map<String, Object> gate = findGate(workflowId, approvalRequestId);
    if (gate == null || !"on_hold".equals(gate.get("status"))) {
      send(exchange, 404, Map.of("message", "Approval request not found."));
      return;
    }
    gate.put("status", "success");
    approvalsTakingEffect.merge(workflowId, 1, Integer::sum);
    pauseBeforeAnswering();
    send(exchange, 202, Map.of("message", "Accepted."));
  }

  private void cancel(HttpExchange exchange, String workflowId) throws IOException {
    List<Map<String, Object>> jobs = workflows.get(workflowId);
    if (jobs == null) {
      send(exchange, 404, Map.of("message", "Workflow not found"));
      return;
    }
    jobs.stream().filter(job -> !"success".equals(job.get("status"))).forEach(job -> job.put("status", "canceled"));
    pauseBeforeAnswering();
    send(exchange, 202, Map.of("message", "Accepted."));
  }

  private void pauseBeforeAnswering() {
    pause(postAnswerDelayMillis);
  }

  private Map<String, Object> findGate(String workflowId, String approvalRequestId) {
    List<Map<String, Object>> jobs = workflows.get(workflowId);
    return jobs == null ? null : jobs.stream()
        .filter(job -> approvalRequestId.equals(job.get("approval_request_id"))).findFirst().orElse(null);
  }

  private static Map<String, Object> job(String name, String type, String status, String approvalRequestId) {
    Map<String, Object> job = new ConcurrentHashMap<>();
    job.put("id", approvalRequestId != null ? approvalRequestId : UUID.randomUUID().toString());
    job.put("name", name);
    job.put("type", type);
    job.put("status", status);
    job.put("job_number", 1);
    job.put("project_slug", "gh/acme/shop");
    job.put("dependencies", List.of());
    if (approvalRequestId != null) {
      job.put("approval_request_id", approvalRequestId);
    }
    return job;
  }

}
