package io.greenlight.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The call that carried the outcome to CircleCI: {@code approve} or {@code cancel}. No status code when an
 * earlier attempt had gone through without Greenlight seeing CircleCI's answer.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CircleCiCall(String action, Integer statusCode, String tokenOwner, String message, Instant at) {}
