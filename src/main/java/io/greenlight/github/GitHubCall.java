package io.greenlight.github;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The call that carried the outcome to GitHub: the review of the deployment protection rule, {@code state}
 * {@code approved} or {@code rejected}, with the comment GitHub shows on the run. No status code when an earlier
 * attempt had gone through without Greenlight seeing GitHub's answer.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitHubCall(String state, String comment, Integer statusCode, String message, Instant at) {}
