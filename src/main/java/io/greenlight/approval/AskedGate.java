package io.greenlight.approval;

/**
 * The fields of a {@code POST /api/approvals} body that name the gate; each kind reads its own ({@code workflow_id} and
 * {@code approval_job} for CircleCI, {@code pipeline_id} and {@code environment} for GitLab) and refuses the others'.
 */
public record AskedGate(String projectSlug, String workflowId, String approvalJob, Long pipelineId, String environment,
                        String buildUrl) {}
