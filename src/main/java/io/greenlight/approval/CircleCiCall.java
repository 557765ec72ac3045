package io.greenlight.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** The call that carried the outcome to CircleCI: {@code approve} or {@code cancel}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CircleCiCall(String action, int statusCode, String tokenOwner, String message, Instant at) {}
