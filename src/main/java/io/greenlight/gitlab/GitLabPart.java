package io.greenlight.gitlab;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A GitLab gate, as the API shows it ({@code "gitlab": {…}}): the pipeline and environment waiting, the blocked
 * deployment and its deploy job (once found), and the last call that carried the outcome to GitLab (once made).
 */
@Schema(name = "GitLab")
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitLabPart(Long pipelineId, String environment, Long deploymentId, Long jobId, GitLabCall call) {}
