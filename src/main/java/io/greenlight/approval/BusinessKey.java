package io.greenlight.approval;

/** The business key of a request: {@code {project_slug}/{workflow_id}/{approval_job}}, one per gate. */
public final class BusinessKey {

  private BusinessKey() {}

  /** With no job name yet (the workflow's single approval job is meant) the key ends with '/'. */
  public static String of(String projectSlug, String workflowId, String approvalJob) {
    return projectSlug + "/" + workflowId + "/" + (approvalJob == null ? "" : approvalJob);
  }
}
