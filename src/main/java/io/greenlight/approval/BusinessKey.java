package io.greenlight.approval;

import java.util.Locale;

/**
 * The business key of a request: {@code {project_slug}/{workflow_id}/{approval_job}}, one per gate. Slug
 * and workflow id are compared without case, as CircleCI and GitHub treat them.
 */
public final class BusinessKey {

  private BusinessKey() {}

  /** With no job name yet (the workflow's single approval job is meant) the key ends with '/'. */
  public static String of(String projectSlug, String workflowId, String approvalJob) {
    return projectSlug.toLowerCase(Locale.ROOT) + "/" + workflowId.toLowerCase(Locale.ROOT) + "/"
        + (approvalJob == null ? "" : approvalJob);
  }
}
