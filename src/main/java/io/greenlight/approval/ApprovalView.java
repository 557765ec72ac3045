package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An approval request as the REST API shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalView(
    String id,
    ApprovalStatus status,
    Stage stage,
    @Schema(implementation = String.class) GateKind gate,
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
    List<Rule> rules,
    @JsonInclude(JsonInclude.Include.ALWAYS) Changes changes,
    String changesUnknown,
    Frozen frozen,
    BreakGlass breakGlass,
    @JsonIgnore Object gatePart,
    List<TimelineEntry> timeline,
    Links links) {

  /**
   * The gate kind's own part, under its id: {@code "circleci": {…}} (the call that carried the outcome),
   * {@code "github": {…}} (run, environment, deployment, call); none until the kind has something to say.
   */
  @JsonAnyGetter
  public Map<String, Object> gateParts() {
    return gatePart == null || gate == null ? Map.of() : Map.of(gate.id(), gatePart);
  }

  /** This view with {@code newer} answers (read from the running request after the view was). */
  public ApprovalView withDecisions(List<Decision> newer) {
    return new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId, requestedBy, branch,
        commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, code, createdAt, expiresAt, endedAt,
        failureReason, notified, newer, rules, changes, changesUnknown, frozen, breakGlass, gatePart, timeline, links);
  }

  /** This view without its SMS code: for a reader who may not answer with it. */
  public ApprovalView withoutCode() {
    return code == null ? this : new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId,
        requestedBy, branch, commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, null, createdAt,
        expiresAt, endedAt, failureReason, notified, decisions, rules, changes, changesUnknown, frozen, breakGlass, gatePart, timeline, links);
  }

  /** This view with the freeze that holds it now (the read side looks it up, since freezes change while it waits). */
  public ApprovalView withFrozen(Frozen now) {
    return new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId, requestedBy, branch,
        commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, code, createdAt, expiresAt, endedAt,
        failureReason, notified, decisions, rules, changes, changesUnknown, now, breakGlass, gatePart, timeline, links);
  }

  /** Deploys of the request's project are frozen: why, and until when (as far as is known now). */
  public record Frozen(String reason, Instant until) {}

  /** This view with its {@code timeline} (the read side adds it). */
  public ApprovalView withTimeline(List<TimelineEntry> timeline) {
    return new ApprovalView(id, status, stage, gate, projectSlug, workflowId, approvalJob, approvalRequestId, requestedBy, branch,
        commit, summary, approverGroup, requiredApprovals, escalationLevel, escalatedTo, code, createdAt, expiresAt, endedAt,
        failureReason, notified, decisions, rules, changes, changesUnknown, frozen, breakGlass, gatePart, timeline, links);
  }

  /**
   * One rule the request must meet: the approvers of {@code group} (the main rule's as named, "alice, release-team"),
   * {@code required} of them, and who counted toward it (each approver toward one rule only). Its escalation group, once
   * asked, may answer too; the API does not show it per rule.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"group", "required", "approved_by"})
  public record Rule(String group, int required, List<String> approvedBy, @JsonIgnore String escalatedTo) {

    public int missing() {
      return Math.max(0, required - approvedBy.size());
    }
  }

  /**
   * What is being deployed, compared with the last approved deploy of the same gate: {@code commits} since
   * {@code sinceCommit} (approved in request {@code sinceRequest} by {@code sinceApprovedBy}), their {@code authors}
   * (GitHub logins of authors and committers of every commit read: {@code authorsComplete} when that is all of them, up
   * to a thousand), and the newest 20 in {@code list}. {@code truncated}: more than {@value #GITHUB_LIMIT} commits, what
   * GitHub's comparison shows at once ("250+").
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"since_commit", "since_request", "since_approved_by", "commits", "truncated", "authors",
      "authors_complete", "compare_url", "list"})
  public record Changes(String sinceCommit, String sinceRequest, List<String> sinceApprovedBy, int commits, boolean truncated,
                        List<String> authors, boolean authorsComplete, String compareUrl, List<Commit> list) {

    /** A change whose every commit was read for its authors. */
    public Changes(String sinceCommit, String sinceRequest, List<String> sinceApprovedBy, int commits, boolean truncated,
                   List<String> authors, String compareUrl, List<Commit> list) {
      this(sinceCommit, sinceRequest, sinceApprovedBy, commits, truncated, authors, true, compareUrl, list);
    }

    /** How many commits GitHub lists in one comparison at most. */
    public static final int GITHUB_LIMIT = 250;
    /** How many commits approvers are shown at most. */
    public static final int LISTED = 20;

    /** "12", or "250+" when GitHub listed only the first 250. */
    public String count() {
      return truncated ? commits + "+" : String.valueOf(commits);
    }
  }

  /** One commit of {@link Changes}: {@code title} is the first line of its message. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Commit(String sha, String author, String title) {}

  /** One thing that happened; {@code user} and {@code channel} when a person or a channel took part. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"at", "event", "user", "channel", "detail"})
  public record TimelineEntry(Instant at, String event, String user, String channel, String detail) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Links(String tasklist, String cockpit, String build, String history) {}
}
