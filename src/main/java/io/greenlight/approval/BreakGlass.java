package io.greenlight.approval;

import java.time.Instant;

/**
 * The approval that decided a request while deploys of its project were frozen: by a member of the break-glass group,
 * with the emergency as its reason. Kept in {@code breakGlass}; shown as {@code break_glass} and reviewed afterwards.
 */
public record BreakGlass(String by, String reason, Instant at) {}
