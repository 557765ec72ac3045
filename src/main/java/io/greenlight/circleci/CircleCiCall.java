package io.greenlight.circleci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The call that carried the outcome to CircleCI: {@code approve} or {@code cancel}, made with the token of
 * {@code tokenOwner} (an approver, or {@code service}). No status code when an earlier attempt had gone through
 * without Greenlight seeing CircleCI's answer. When CircleCI refused an approver's own token first,
 * {@code refusedTokenOwner} and {@code refusedStatusCode} say whose and how, and the service token made the call.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CircleCiCall(String action, Integer statusCode, String tokenOwner, String message, Instant at,
                           String refusedTokenOwner, Integer refusedStatusCode) {}
