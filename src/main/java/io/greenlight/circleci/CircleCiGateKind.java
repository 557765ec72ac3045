package io.greenlight.circleci;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.CIRCLECI_CALL;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.AskedGate;
import io.greenlight.approval.GateNotNamedException;
import io.greenlight.approval.NamedGate;
import io.greenlight.web.Formats;
import java.util.Locale;
import java.util.regex.Pattern;
import io.greenlight.approval.ApprovalView.TimelineEntry;
import io.greenlight.approval.GateKind;
import io.greenlight.approval.RequestVariables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A CircleCI gate: an approval job on hold, found in its workflow, approved, or its workflow cancelled. */
@Component
public class CircleCiGateKind implements GateKind {

  /** The {@code gate} of CircleCI's requests (and of every request made before gates had kinds). */
  public static final String ID = "circleci";

  /** CircleCI's project slugs: {@code gh/org/repo}, {@code bb/org/repo}, {@code circleci/org-id/project-id}. */
  private static final Pattern PROJECT_SLUG = Pattern.compile(
      "^(gh|github|bb|bitbucket|circleci)/[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$", Pattern.CASE_INSENSITIVE);
  private static final Pattern WORKFLOW_ID = Pattern.compile(Formats.UUID);

  private final FindApprovalJob find;
  private final ApproveInCircleCi approve;
  private final CancelWorkflow cancel;
  private final BuildLinks buildLinks;

  CircleCiGateKind(FindApprovalJob find, ApproveInCircleCi approve, CancelWorkflow cancel, BuildLinks buildLinks) {
    this.find = find;
    this.approve = approve;
    this.cancel = cancel;
    this.buildLinks = buildLinks;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String systemName() {
    return "CircleCI";
  }

  @Override
  public String stopped() {
    return "The workflow was cancelled.";
  }

  @Override
  public String willBeStopped() {
    return "The workflow will be cancelled.";
  }

  @Override
  public boolean asksThroughTheApi(String projectSlug) {
    return PROJECT_SLUG.matcher(projectSlug).matches();
  }

  /**
   * The workflow's approval job (by name, or its only one); the build link kept only where it is CircleCI's page
   * ({@link BuildLinks}).
   */
  @Override
  public NamedGate named(AskedGate asked) {
    if (asked.workflowId() == null) {
      throw new GateNotNamedException("workflow_id", "is required");
    }
    if (!WORKFLOW_ID.matcher(asked.workflowId()).matches()) {
      throw new GateNotNamedException("workflow_id", "must be a CircleCI workflow id (a UUID)");
    }
    if (asked.pipelineId() != null || asked.environment() != null) {
      throw new GateNotNamedException(asked.pipelineId() != null ? "pipeline_id" : "environment",
          "names a GitLab gate; a CircleCI gate is named by workflow_id and approval_job");
    }
    String workflowId = asked.workflowId().toLowerCase(Locale.ROOT);
    return new NamedGate(workflowId, asked.approvalJob(), buildLinks.checked(asked.buildUrl(), workflowId));
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
    return cancel;
  }

  @Override
  public boolean stoppedTheDeploy(RequestVariables request) {
    CircleCiCall call = request.json(CIRCLECI_CALL, CircleCiCall.class);
    return call != null && "cancel".equals(call.action());
  }

  @Override
  public String whereTheGateIs(RequestVariables request) {
    return "approval job '" + request.text(APPROVAL_JOB) + "' is on hold in CircleCI, approval_request_id "
        + request.text(APPROVAL_REQUEST_ID);
  }

  @Override
  public String stoppingNow() {
    return "The workflow is cancelled in CircleCI.";
  }

  @Override
  public String decidedThere(RequestVariables request) {
    return "the gate was decided in CircleCI itself; Greenlight sent nothing";
  }

  /** The approve or cancel call: whose token it carried, and a personal token CircleCI refused before it. */
  @Override
  public List<TimelineEntry> calls(RequestVariables request) {
    CircleCiCall call = request.json(CIRCLECI_CALL, CircleCiCall.class);
    List<TimelineEntry> calls = new ArrayList<>();
    if (call != null) {
      if (call.refusedTokenOwner() != null) {
        calls.add(new TimelineEntry(call.at(), "Token refused", call.refusedTokenOwner(), null, "CircleCI answered HTTP "
            + call.refusedStatusCode() + " to " + call.refusedTokenOwner() + "'s token; the " + call.action()
            + " call was made again with the service token"));
      }
      String approver = CircleCiTokens.SERVICE_OWNER.equals(call.tokenOwner()) ? null : call.tokenOwner();
      calls.add(new TimelineEntry(call.at(), systemName() + " call", approver, null, call.action() + ": "
          + (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode()) + ", token of " + call.tokenOwner()));
    }
    return calls;
  }

  /** The call that carried the outcome ({@link CircleCiCall}), once made. */
  @Override
  public Object viewPart(RequestVariables request) {
    return request.json(CIRCLECI_CALL, CircleCiCall.class);
  }

  @Override
  public Map<String, String> historyLines(ApprovalView view) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("Gate", "workflow " + view.workflowId() + ", job " + (view.approvalJob() == null ? "?" : view.approvalJob())
        + (view.approvalRequestId() == null ? "" : ", approval_request_id " + view.approvalRequestId()));
    CircleCiCall call = (CircleCiCall) view.gatePart();
    lines.put("CircleCI answered", call == null ? "nothing sent (yet)" : call.action() + ": "
        + (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode()) + ", token of " + call.tokenOwner());
    return lines;
  }

  @Override
  public String lastCall(ApprovalView view) {
    CircleCiCall call = (CircleCiCall) view.gatePart();
    return call == null ? "" : call.action() + " " + (call.statusCode() == null ? "" : call.statusCode());
  }
}
