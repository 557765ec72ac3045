package io.greenlight.freeze;

import java.time.Instant;

/** A freeze as a request sees it: why deploys are frozen, and until when. */
public record ActiveFreeze(String reason, Instant until) {}
