package io.greenlight.engine;

import java.time.Duration;

/**
 * Another system asked us to come back later (HTTP 429 with {@code Retry-After}). The failed job is
 * retried no earlier than that, whatever the task's retry cycle says: see {@link RetryAfterJobRetryCmd}.
 */
public class RetryAfterException extends RuntimeException {
  private final Duration retryAfter;

  public RetryAfterException(String message, Duration retryAfter) {
    super(message + " (retry after " + retryAfter.toSeconds() + " s)");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** The {@code RetryAfterException} in {@code failure}'s cause chain, or null. */
  public static RetryAfterException findIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetryAfterException retryAfter) {
        return retryAfter;
      }
    }
    return null;
  }
}
