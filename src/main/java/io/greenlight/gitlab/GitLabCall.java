package io.greenlight.gitlab;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A call that carried the outcome to GitLab: {@code approve} or {@code reject} (the deployment's approval, as the bot),
 * {@code play} (the approved deploy job), {@code cancel} (the pipeline). No status code when an earlier attempt had gone
 * through without Greenlight seeing GitLab's answer, or the job was run in GitLab meanwhile.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitLabCall(String action, Integer statusCode, String message, Instant at) {}
