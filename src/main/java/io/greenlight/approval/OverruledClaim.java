package io.greenlight.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * Something the pipeline said of itself that CircleCI contradicts ({@code requested_by}, {@code branch},
 * {@code commit}): CircleCI's word is taken, and the claim kept for the record.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OverruledClaim(String field, String claimed, String circleci, Instant at) {}
