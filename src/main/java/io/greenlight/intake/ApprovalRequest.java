package io.greenlight.intake;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.greenlight.web.Formats;
import io.greenlight.web.SafeText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/approvals}. The gate is named in its kind's fields, which the kind checks
 * ({@code approval.GateKind#named}): {@code workflowId} and {@code approvalJob} for CircleCI, {@code pipelineId} and
 * {@code environment} for GitLab. {@code approverGroup}: one directory group, or several groups and/or users
 * separated by commas or spaces (kept by the process as {@code a,b,c}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApprovalRequest(
    @NotBlank(message = "is required")
    @Pattern(regexp = Formats.PROJECT_SLUG, message = "must be a CircleCI project slug such as gh/acme/shop or a GitLab "
        + "project path as gl/group/project")
    String projectSlug,
    @Pattern(regexp = Formats.UUID, message = "must be a CircleCI workflow id (a UUID)")
    String workflowId,
    @Size(max = 255, message = "must be at most 255 characters")
    @Pattern(regexp = SafeText.ONE_LINE, message = "must be a job name on one line, without control characters")
    String approvalJob,
    @Positive(message = "must be a GitLab pipeline id (CI_PIPELINE_ID)")
    Long pipelineId,
    @Size(max = 255, message = "must be at most 255 characters")
    @Pattern(regexp = SafeText.ONE_LINE, message = "must be an environment name on one line, without control characters")
    String environment,
    @Size(max = 100, message = "must be at most 100 characters")
    @Pattern(regexp = SafeText.ONE_LINE, message = "must be one line, without control characters")
    String requestedBy,
    @Size(max = 255, message = "must be at most 255 characters")
    @Pattern(regexp = SafeText.ONE_LINE, message = "must be one line, without control characters")
    String branch,
    @Pattern(regexp = "^[0-9a-fA-F]{7,64}$", message = "must be a commit hash")
    String commit,
    @Size(max = 2048, message = "must be at most 2048 characters")
    @Pattern(regexp = SafeText.HTTP_URL, message = "must be an http(s) URL")
    String buildUrl,
    @Size(max = 1000, message = "must be at most 1000 characters")
    @Pattern(regexp = SafeText.ONE_LINE, message = "must be directory groups or users on one line, separated by commas or spaces")
    String approverGroup,
    @Size(max = 500, message = "must be at most 500 characters")
    @Pattern(regexp = SafeText.LINES, message = "must be text without control characters")
    String summary) {

  /** Blank optional fields count as absent. */
  public ApprovalRequest {
    workflowId = blankToNull(workflowId);
    approvalJob = blankToNull(approvalJob);
    environment = blankToNull(environment);
    requestedBy = blankToNull(requestedBy);
    branch = blankToNull(branch);
    commit = blankToNull(commit);
    buildUrl = blankToNull(buildUrl);
    // Kept as sent (blank is absent), so that validation sees it whole; Intake takes the names from it.
    approverGroup = approverGroup == null || approverGroup.isBlank() ? null : approverGroup;
    summary = blankToNull(summary);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
