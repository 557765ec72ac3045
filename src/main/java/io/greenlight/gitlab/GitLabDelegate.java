package io.greenlight.gitlab;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.PublicLinks;
import io.greenlight.approval.RequestVariables;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.gate.CallAttempts;
import io.greenlight.gate.GateOutcomes;
import io.greenlight.gate.OutcomeComments;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * A step that carries the outcome to GitLab, exactly once across retries and crashes: each call is committed as
 * attempted before it is made ({@link CallAttempts}), and GitLab's refusal of a repeat is read back against what it shows
 * (the deployment's approvals, the job's status), so the request's own earlier call is told from a decision made in
 * GitLab meanwhile. GitLab's other refusals keep its words and wait in an incident (a setting to fix in GitLab).
 */
abstract class GitLabDelegate implements JavaDelegate {

  /** GitLab refuses approval comments longer than this. */
  static final int COMMENT_LIMIT = 255;

  protected final GitLabClient gitlab;
  private final CallAttempts attempts;
  private final PublicLinks links;

  GitLabDelegate(GitLabClient gitlab, CallAttempts attempts, PublicLinks links) {
    this.gitlab = gitlab;
    this.attempts = attempts;
    this.links = links;
  }

  /** The project's full path: the request's slug without {@code gl/}. */
  static String projectPath(RequestVariables request) {
    return request.text(PROJECT_SLUG).substring(GitLabGateKind.SLUG_PREFIX.length());
  }

  static long pipelineId(RequestVariables request) {
    return Long.parseLong(request.text(WORKFLOW_ID));
  }

  /**
   * The bot's approval ({@code approved}) or rejection ({@code rejected}) of the deployment, with {@code text} and the
   * history link as its comment; a repeat GitLab answers "not waiting for approvals" is done when GitLab shows the bot's
   * own with this request's link, and decided in GitLab otherwise.
   */
  protected void decide(DelegateExecution execution, String status, String text) {
    RequestVariables request = RequestVariables.of(execution);
    String link = links.history(execution.getProcessInstanceId());
    String comment = OutcomeComments.within(COMMENT_LIMIT, text, link);
    String action = "approved".equals(status) ? "approve" : "reject";
    long deploymentId = request.number(GitLabVariables.DEPLOYMENT_ID);
    call(execution, "gitlab-" + action, () -> {
      int code = gitlab.approval(projectPath(request), deploymentId, status, comment);
      record(execution, new GitLabCall(action, code, "GitLab took the " + status + " approval of deployment " + deploymentId, now()));
    }, (refused, attemptedBefore) -> {
      if (!refused.notWaitingForApprovals()) {
        throw refused;
      }
      boolean ours = attemptedBefore && gitlab.approvals(projectPath(request), deploymentId).stream()
          .anyMatch(approval -> status.equals(approval.status()) && approval.comment() != null
              && approval.comment().endsWith(link));
      if (!ours) {
        throw GateOutcomes.decidedElsewhere(execution, "GitLab no longer waits for approvals on deployment " + deploymentId
            + " (pipeline " + request.text(WORKFLOW_ID) + " to " + request.text(APPROVAL_JOB)
            + "): approved, rejected or run in GitLab meanwhile");
      }
      record(execution, new GitLabCall(action, null, "An earlier attempt went through: GitLab shows the bot's " + status
          + " approval", now()));
    });
  }

  /** What to do when GitLab refuses the call: {@code attemptedBefore} says whether an earlier attempt may have gone through. */
  interface OnRefusal {
    void handle(GitLabRefusedException refused, boolean attemptedBefore);
  }

  /** A call committed as attempted before it is made; an answer proving GitLab did nothing (429) forgets the attempt. */
  protected void call(DelegateExecution execution, String action, Runnable call, OnRefusal onRefusal) {
    String requestId = execution.getProcessInstanceId();
    boolean attemptedBefore = attempts.attemptedWith(requestId, action).isPresent();
    attempts.recordBeforeCalling(requestId, action, "gitlab-bot");
    try {
      call.run();
    } catch (GitLabRefusedException refused) {
      onRefusal.handle(refused, attemptedBefore);
    } catch (RetryAfterException rateLimited) {
      if (!attemptedBefore) {
        attempts.forget(requestId, action);
      }
      throw rateLimited;
    }
  }

  protected static void record(DelegateExecution execution, GitLabCall call) {
    List<GitLabCall> calls = JsonVariables.list(execution, GitLabVariables.CALLS, GitLabCall.class);
    calls.add(call);
    execution.setVariable(GitLabVariables.CALLS, JsonVariables.json(calls));
  }

  protected static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
