package io.greenlight.circleci;

/**
 * What CircleCI itself says of the pipeline a gate belongs to: who triggered it (their VCS login, as
 * {@code CIRCLE_USERNAME} gives it), and the branch and revision it builds (no branch for a tag).
 */
public record PipelineFacts(String triggeredBy, String branch, String revision) {}
