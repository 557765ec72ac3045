package io.greenlight.gitlab;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApprovalView.TimelineEntry;
import io.greenlight.approval.AskedGate;
import io.greenlight.approval.GateKind;
import io.greenlight.approval.GateNotNamedException;
import io.greenlight.approval.NamedGate;
import io.greenlight.approval.RequestVariables;
import io.greenlight.gate.SystemsWord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * A GitLab gate: a pipeline's deploy job to a protected environment, blocked until its approval rules are met. The bot
 * approves and plays it, or rejects it (which drops the job) and cancels the pipeline. A pipeline asks with
 * {@code POST /api/approvals} for {@code gl/<project path>}, naming {@code pipeline_id} and {@code environment}: one
 * pipeline's environment is one gate.
 */
@Component
public class GitLabGateKind implements GateKind {

  /** The {@code gate} of GitLab's requests. */
  public static final String ID = "gitlab";
  /** A GitLab project's slug: {@code gl/} and its full path ({@code gl/group/sub/app}). */
  static final String SLUG_PREFIX = "gl/";

  private final FindGitLabGate find;
  private final ApproveInGitLab approve;
  private final RejectInGitLab reject;
  private final GitLabProperties settings;

  GitLabGateKind(FindGitLabGate find, ApproveInGitLab approve, RejectInGitLab reject, GitLabProperties settings) {
    this.find = find;
    this.approve = approve;
    this.reject = reject;
    this.settings = settings;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String systemName() {
    return "GitLab";
  }

  @Override
  public String stopped() {
    return "The deployment was rejected and the pipeline cancelled in GitLab.";
  }

  @Override
  public String willBeStopped() {
    return "The deployment will be rejected and the pipeline cancelled in GitLab.";
  }

  /** A GitLab gate is one environment of the project: {@code gl/acme/shop to production}. */
  @Override
  public String project(String projectSlug, String environment) {
    return environment == null ? projectSlug : projectSlug + " to " + environment;
  }

  @Override
  public String workflow(String pipelineId) {
    return "pipeline " + pipelineId;
  }

  @Override
  public boolean asksThroughTheApi(String projectSlug) {
    return projectSlug.regionMatches(true, 0, SLUG_PREFIX, 0, SLUG_PREFIX.length());
  }

  /**
   * The pipeline ({@code pipeline_id}, GitLab's {@code CI_PIPELINE_ID}) and its environment. The build link is kept only
   * where it is a page of the configured GitLab; any other is replaced by the pipeline's page, and the claim kept.
   */
  @Override
  public NamedGate named(AskedGate asked) {
    if (!GitLabClient.PROJECT_PATH.matcher(asked.projectSlug().substring(SLUG_PREFIX.length())).matches()) {
      throw new GateNotNamedException("project_slug", "must be gl/ and a GitLab project's full path, such as gl/acme/shop "
          + "or gl/group/sub/app");
    }
    if (!settings.configured()) {
      throw new GateNotNamedException("project_slug", "is a GitLab project, and this Greenlight gates no GitLab deployments "
          + "(greenlight.gitlab.token is not set; docs/gitlab.md)");
    }
    if (asked.workflowId() != null || asked.approvalJob() != null) {
      throw new GateNotNamedException(asked.workflowId() != null ? "workflow_id" : "approval_job",
          "names a CircleCI gate; a GitLab gate is named by pipeline_id and environment");
    }
    if (asked.pipelineId() == null) {
      throw new GateNotNamedException("pipeline_id", "is required");
    }
    if (asked.environment() == null) {
      throw new GateNotNamedException("environment", "is required");
    }
    String pipelinePage = settings.baseUrl() + "/" + asked.projectSlug().substring(SLUG_PREFIX.length()) + "/-/pipelines/"
        + asked.pipelineId();
    String claimed = asked.buildUrl();
    Map<String, Object> variables = SystemsWord.buildLink(claimed == null ? pipelinePage : claimed,
        claimed == null || claimed.startsWith(settings.baseUrl() + "/"), pipelinePage);
    return new NamedGate(String.valueOf(asked.pipelineId()), asked.environment(), variables);
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
    return request.list(GitLabVariables.CALLS, GitLabCall.class).stream()
        .anyMatch(call -> "reject".equals(call.action()) || "cancel".equals(call.action()));
  }

  @Override
  public String whereTheGateIs(RequestVariables request) {
    return "deploy job " + request.number(GitLabVariables.JOB_ID) + " of pipeline " + request.text(WORKFLOW_ID) + " to '"
        + request.text(APPROVAL_JOB) + "' waits for approval in GitLab, deployment "
        + request.number(GitLabVariables.DEPLOYMENT_ID);
  }

  @Override
  public String stoppingNow() {
    return "The deployment is rejected and the pipeline cancelled in GitLab.";
  }

  @Override
  public String decidedThere(RequestVariables request) {
    return request.text(FAILURE_REASON) + "; Greenlight's approval was not needed";
  }

  /** Every call to GitLab about the request: the approval or rejection, the play, the cancel. */
  @Override
  public List<TimelineEntry> calls(RequestVariables request) {
    return request.list(GitLabVariables.CALLS, GitLabCall.class).stream()
        .map(call -> new TimelineEntry(call.at(), systemName() + " call", null, null, call.action() + ": "
            + (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode() + ", " + call.message())))
        .toList();
  }

  /** The pipeline and environment, the deployment and job once found, the last call once made. */
  @Override
  public Object viewPart(RequestVariables request) {
    List<GitLabCall> calls = request.list(GitLabVariables.CALLS, GitLabCall.class);
    String pipeline = request.text(WORKFLOW_ID);
    return new GitLabPart(pipeline == null ? null : Long.valueOf(pipeline), request.text(APPROVAL_JOB),
        request.number(GitLabVariables.DEPLOYMENT_ID), request.number(GitLabVariables.JOB_ID),
        calls.isEmpty() ? null : calls.get(calls.size() - 1));
  }

  @Override
  public Map<String, String> historyLines(ApprovalView view) {
    GitLabPart part = (GitLabPart) view.gatePart();
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("Gate", "GitLab pipeline " + part.pipelineId() + ", environment " + part.environment()
        + (part.deploymentId() == null ? "" : ", deployment " + part.deploymentId() + ", deploy job " + part.jobId()));
    GitLabCall call = part.call();
    lines.put("GitLab answered", call == null ? "nothing sent (yet)" : call.action() + ": "
        + (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode()));
    return lines;
  }

  @Override
  public String lastCall(ApprovalView view) {
    GitLabCall call = view.gatePart() instanceof GitLabPart part ? part.call() : null;
    return call == null ? "" : "GitLab " + call.action() + " " + (call.statusCode() == null ? "" : call.statusCode());
  }
}
