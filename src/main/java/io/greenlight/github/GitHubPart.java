package io.greenlight.github;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A GitHub gate, as the API shows it ({@code "github": {…}}): the Actions run and environment waiting, the deployment
 * GitHub made for it, and the call that carried the outcome back (once made).
 */
@Schema(name = "GitHub")
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitHubPart(String runId, String environment, Long deploymentId, GitHubCall call) {}
