package io.greenlight.gitlab;

/**
 * The variables a GitLab request keeps beside everyone's ({@code approval.ApprovalVariables}): the pipeline is the
 * request's {@code workflowId}, the environment its {@code approvalJob}, the deployment id also its
 * {@code approvalRequestId}.
 */
final class GitLabVariables {

  /** The blocked deployment found for the pipeline and environment (a number). */
  static final String DEPLOYMENT_ID = "gitlabDeploymentId";
  /** Its deploy job, played once approved (a number). */
  static final String JOB_ID = "gitlabJobId";
  /** The calls that carried the outcome to GitLab, in order (JSON list of {@link GitLabCall}). */
  static final String CALLS = "gitlabCalls";

  private GitLabVariables() {}
}
