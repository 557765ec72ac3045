package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/** An approval request as the REST API shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalView(
    String id,
    ApprovalStatus status,
    Stage stage,
    String gate,
    String projectSlug,
    String workflowId,
    String approvalJob,
    String approvalRequestId,
    String requestedBy,
    String branch,
    String commit,
    String summary,
    String approverGroup,
    Integer requiredApprovals,
    Integer escalationLevel,
    String escalatedTo,
    String code,
    Instant createdAt,
    Instant expiresAt,
    Instant endedAt,
    String failureReason,
    List<Notification> notified,
    List<Decision> decisions,
    CircleCiCall circleci,
    GitHub github,
    List<TimelineEntry> timeline,
    Links links) {

  /** This view with {@code newer} answers (read from the running request after the view was). */
  public ApprovalView withDecisions(List<Decision> newer) {
    return new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId, requestedBy, branch,
        commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, code, createdAt, expiresAt, endedAt,
        failureReason, notified, newer, circleci, github, timeline, links);
  }

  /** This view without its SMS code: for a reader who may not answer with it. */
  public ApprovalView withoutCode() {
    return code == null ? this : new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId,
        requestedBy, branch, commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, null, createdAt,
        expiresAt, endedAt, failureReason, notified, decisions, circleci, github, timeline, links);
  }

  /** This view with its {@code timeline} (the read side adds it). */
  public ApprovalView withTimeline(List<TimelineEntry> timeline) {
    return new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId, requestedBy, branch,
        commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, code, createdAt, expiresAt, endedAt,
        failureReason, notified, decisions, circleci, github, timeline, links);
  }

  /** One thing that happened; {@code user} and {@code channel} when a person or a channel took part. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"at", "event", "user", "channel", "detail"})
  public record TimelineEntry(Instant at, String event, String user, String channel, String detail) {}

  /**
   * A GitHub gate: the Actions run and environment waiting, the deployment GitHub made for it, and the call that
   * carried the outcome back (once made).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GitHub(String runId, String environment, Long deploymentId, GitHubCall call) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Links(String tasklist, String cockpit, String build, String history) {}
}
