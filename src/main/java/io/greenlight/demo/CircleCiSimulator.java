package io.greenlight.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for CircleCI's API v2 in the {@code demo} profile, so Greenlight can be tried without a
 * CircleCI account. Any workflow id it is asked about exists: build done, {@code hold} on hold,
 * {@code deploy} waiting behind it, in a pipeline octocat triggered on {@code main} (so octocat is the requester,
 * whatever the request says). It logs every call and lists them at {@code GET /demo/circleci/calls}.
 */
@Profile("demo")
@RestController
@RequestMapping("/demo/circleci")
class CircleCiSimulator {

  private static final Logger log = LoggerFactory.getLogger(CircleCiSimulator.class);

  private final Map<String, List<Map<String, Object>>> workflows = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();

  @GetMapping("/api/v2/workflow/{id}/job")
  ResponseEntity<Object> jobs(@PathVariable String id, @RequestHeader(name = "Circle-Token", required = false) String token) {
    record("GET", "/workflow/" + id + "/job", token);
    if (token == null) {
      return unauthorized();
    }
    return ResponseEntity.ok(Map.of("items", workflow(id), "next_page_token", ""));
  }

  /** Every simulated workflow belongs to a pipeline of its own, triggered by octocat on main. */
  @GetMapping("/api/v2/workflow/{id}")
  ResponseEntity<Object> workflowById(@PathVariable String id, @RequestHeader(name = "Circle-Token", required = false) String token) {
    record("GET", "/workflow/" + id, token);
    if (token == null) {
      return unauthorized();
    }
    workflow(id);
    Map<String, Object> workflow = new LinkedHashMap<>();
    workflow.put("id", id);
    workflow.put("name", "build-and-deploy");
    workflow.put("status", "on_hold");
    workflow.put("created_at", Instant.now().toString());
    workflow.put("stopped_at", null);
    workflow.put("pipeline_id", id);
    workflow.put("pipeline_number", 1);
    workflow.put("project_slug", "gh/acme/shop");
    workflow.put("started_by", UUID.nameUUIDFromBytes("octocat".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    return ResponseEntity.ok(workflow);
  }

  @GetMapping("/api/v2/pipeline/{id}")
  ResponseEntity<Object> pipelineById(@PathVariable String id, @RequestHeader(name = "Circle-Token", required = false) String token) {
    record("GET", "/pipeline/" + id, token);
    if (token == null) {
      return unauthorized();
    }
    Map<String, Object> pipeline = new LinkedHashMap<>();
    pipeline.put("id", id);
    pipeline.put("number", 1);
    pipeline.put("project_slug", "gh/acme/shop");
    pipeline.put("created_at", Instant.now().toString());
    pipeline.put("errors", List.of());
    pipeline.put("state", "created");
    pipeline.put("trigger", Map.of("type", "webhook", "received_at", Instant.now().toString(),
        "actor", Map.of("login", "octocat", "avatar_url", "https://avatars.example.com/octocat")));
    pipeline.put("vcs", Map.of("provider_name", "GitHub", "origin_repository_url", "https://github.com/acme/shop",
        "target_repository_url", "https://github.com/acme/shop", "branch", "main", "revision", "abc1234def5678901234567890abcdef12345678"));
    return ResponseEntity.ok(pipeline);
  }

  @PostMapping("/api/v2/workflow/{id}/approve/{approvalRequestId}")
  ResponseEntity<Object> approve(@PathVariable String id, @PathVariable String approvalRequestId,
                                 @RequestHeader(name = "Circle-Token", required = false) String token) {
    record("POST", "/workflow/" + id + "/approve/" + approvalRequestId, token);
    if (token == null) {
      return unauthorized();
    }
    List<Map<String, Object>> jobs = workflow(id);
    Map<String, Object> hold = jobs.stream().filter(job -> approvalRequestId.equals(job.get("approval_request_id"))).findFirst().orElse(null);
    if (hold == null || !"on_hold".equals(hold.get("status"))) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", "Approval request not found or not on hold"));
    }
    hold.put("status", "success");
    jobs.stream().filter(job -> "deploy".equals(job.get("name"))).forEach(job -> job.put("status", "running"));
    log.info("CircleCI simulator: workflow {} approved, 'deploy' is running", id);
    return ResponseEntity.accepted().body(Map.of("message", "Accepted."));
  }

  @PostMapping("/api/v2/workflow/{id}/cancel")
  ResponseEntity<Object> cancel(@PathVariable String id, @RequestHeader(name = "Circle-Token", required = false) String token) {
    record("POST", "/workflow/" + id + "/cancel", token);
    if (token == null) {
      return unauthorized();
    }
    workflow(id).stream().filter(job -> !"success".equals(job.get("status"))).forEach(job -> job.put("status", "canceled"));
    log.info("CircleCI simulator: workflow {} cancelled, 'deploy' will not run", id);
    return ResponseEntity.accepted().body(Map.of("message", "Accepted."));
  }

  /** What Greenlight sent, newest last; the token itself is not kept. */
  @GetMapping("/calls")
  List<Map<String, Object>> calls() {
    return calls;
  }

  private List<Map<String, Object>> workflow(String id) {
    return workflows.computeIfAbsent(id, newId -> {
      List<Map<String, Object>> jobs = new ArrayList<>();
      jobs.add(job("build", "build", "success", null));
      jobs.add(job("hold", "approval", "on_hold", UUID.randomUUID().toString()));
      jobs.add(job("deploy", "build", "blocked", null));
      return new CopyOnWriteArrayList<>(jobs);
    });
  }

  private static Map<String, Object> job(String name, String type, String status, String approvalRequestId) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", approvalRequestId == null ? UUID.randomUUID().toString() : approvalRequestId);
    job.put("name", name);
    job.put("type", type);
    job.put("status", status);
    if (approvalRequestId != null) {
      job.put("approval_request_id", approvalRequestId);
    }
    return new ConcurrentHashMap<>(job);
  }

  private void record(String method, String path, String token) {
    log.info("CircleCI simulator: {} {}", method, path);
    calls.add(Map.of("method", method, "path", path, "circle_token_sent", token != null, "at", Instant.now().toString()));
  }

  private static ResponseEntity<Object> unauthorized() {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("message", "You must log in first."));
  }
}
