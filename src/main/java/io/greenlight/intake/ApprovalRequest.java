package io.greenlight.intake;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/approvals} (PRODUCT.md §6). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApprovalRequest(
    @NotBlank(message = "is required")
    @Pattern(regexp = PROJECT_SLUG, message = "must be a CircleCI project slug such as gh/acme/shop")
    String projectSlug,
    @NotBlank(message = "is required")
    @Pattern(regexp = UUID, message = "must be a CircleCI workflow id (a UUID)")
    String workflowId,
    @Size(max = 255, message = "must be at most 255 characters")
    @Pattern(regexp = PRINTABLE_LINE, message = "must be a job name on one line")
    String approvalJob,
    @Size(max = 100, message = "must be at most 100 characters")
    @Pattern(regexp = PRINTABLE_LINE, message = "must be one line")
    String requestedBy,
    @Size(max = 255, message = "must be at most 255 characters")
    @Pattern(regexp = PRINTABLE_LINE, message = "must be one line")
    String branch,
    @Pattern(regexp = "^[0-9a-fA-F]{7,64}$", message = "must be a commit hash")
    String commit,
    @Size(max = 2048, message = "must be at most 2048 characters")
    @Pattern(regexp = "^https?://\\S+$", message = "must be an http(s) URL")
    String buildUrl,
    @Size(max = 64, message = "must be at most 64 characters")
    @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._@-]*$", message = "must be a group id of the directory")
    String approverGroup,
    @Size(max = 500, message = "must be at most 500 characters")
    String summary) {

  /** vcs/org/repo, as CircleCI writes it (gh/…, bb/…, circleci/…/…). */
  static final String PROJECT_SLUG = "^[A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$";
  static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
  static final String PRINTABLE_LINE = "^[^\\p{Cntrl}]*$";

  /** Blank optional fields count as absent. */
  public ApprovalRequest {
    approvalJob = blankToNull(approvalJob);
    requestedBy = blankToNull(requestedBy);
    branch = blankToNull(branch);
    commit = blankToNull(commit);
    buildUrl = blankToNull(buildUrl);
    approverGroup = blankToNull(approverGroup);
    summary = blankToNull(summary);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
