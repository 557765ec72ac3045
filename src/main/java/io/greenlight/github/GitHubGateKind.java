package io.greenlight.github;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;
import static io.greenlight.approval.ApprovalVariables.GITHUB_DEPLOYMENT_ID;
import static io.greenlight.approval.ApprovalVariables.GITHUB_CALL;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApprovalView.TimelineEntry;
import io.greenlight.approval.GateKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.greenlight.approval.RequestVariables;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A GitHub gate: a custom deployment protection rule, approved or rejected through the run's callback. */
@Component
public class GitHubGateKind implements GateKind {

  /** The {@code gate} of GitHub's requests. */
  public static final String ID = "github";

  private final FindGitHubGate find;
  private final ApproveInGitHub approve;
  private final RejectInGitHub reject;

  GitHubGateKind(FindGitHubGate find, ApproveInGitHub approve, RejectInGitHub reject) {
    this.find = find;
    this.approve = approve;
    this.reject = reject;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String systemName() {
    return "GitHub";
  }

  @Override
  public String stopped() {
    return "The deployment was rejected in GitHub.";
  }

  @Override
  public String willBeStopped() {
    return "The deployment will be rejected in GitHub.";
  }

  /** A GitHub gate is one environment of the repository: {@code gh/acme/shop to production}. */
  @Override
  public String project(String projectSlug, String environment) {
    return environment == null ? projectSlug : projectSlug + " to " + environment;
  }

  @Override
  public String workflow(String runId) {
    return "run " + runId;
  }

  @Override
  public JavaDelegate find() {
    return find;
  }

  @Override
  public JavaDelegate approve() {
    return approve;
  }

  @Override
  public JavaDelegate stop() {
    return reject;
  }

  @Override
  public boolean stoppedTheDeploy(RequestVariables request) {
    GitHubCall call = request.json(GITHUB_CALL, GitHubCall.class);
    return call != null && "rejected".equals(call.state());
  }

  @Override
  public String whereTheGateIs(RequestVariables request) {
    return "environment '" + request.text(APPROVAL_JOB) + "' of GitHub Actions run " + request.text(WORKFLOW_ID)
        + " waits for Greenlight, deployment " + request.text(APPROVAL_REQUEST_ID);
  }

  @Override
  public String stoppingNow() {
    return "The deployment is rejected in GitHub.";
  }

  @Override
  public String decidedThere(RequestVariables request) {
    return request.text(FAILURE_REASON) + "; Greenlight's review was not needed";
  }

  /** The review Greenlight gave through the run's callback. */
  @Override
  public List<TimelineEntry> calls(RequestVariables request) {
    GitHubCall call = request.json(GITHUB_CALL, GitHubCall.class);
    return call == null ? List.of() : List.of(new TimelineEntry(call.at(), systemName() + " call", null, null, call.state()
        + ": " + (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode()) + ", comment: " + call.comment()));
  }

  /** The run and environment waiting, the deployment GitHub made for it, the review Greenlight gave (once given). */
  @Override
  public Object viewPart(RequestVariables request) {
    return new GitHubPart(request.text(WORKFLOW_ID), request.text(APPROVAL_JOB), request.number(GITHUB_DEPLOYMENT_ID),
        request.json(GITHUB_CALL, GitHubCall.class));
  }

  @Override
  public Map<String, String> historyLines(ApprovalView view) {
    GitHubPart part = (GitHubPart) view.gatePart();
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("Gate", "GitHub Actions run " + part.runId() + ", environment " + part.environment()
        + (part.deploymentId() == null ? "" : ", deployment " + part.deploymentId()));
    GitHubCall call = part.call();
    lines.put("GitHub answered", call == null ? "nothing sent (yet)" : call.state() + ": "
        + (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode()));
    return lines;
  }

  @Override
  public String lastCall(ApprovalView view) {
    GitHubCall call = view.gatePart() instanceof GitHubPart part ? part.call() : null;
    return call == null ? "" : "GitHub " + call.state() + " " + (call.statusCode() == null ? "" : call.statusCode());
  }
}
