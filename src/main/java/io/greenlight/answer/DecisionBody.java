package io.greenlight.answer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/approvals/{id}/decision}. */
public record DecisionBody(
    @NotBlank(message = "is required") String decision,
    @Size(max = DecisionRules.LONGEST_COMMENT, message = "must be at most " + DecisionRules.LONGEST_COMMENT + " characters")
    String comment) {}
