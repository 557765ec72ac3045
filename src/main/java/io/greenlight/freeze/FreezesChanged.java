package io.greenlight.freeze;

/**
 * Published (a Spring application event) after a freeze was declared or ended through the API, once it is stored:
 * requests of the projects {@code projects} covers (a glob, {@code *} for every project) may be frozen or free now.
 * Recurring freezes begin and end without it: their times are known in advance ({@link Freezes#activeFor}).
 */
public record FreezesChanged(String projects) {}
