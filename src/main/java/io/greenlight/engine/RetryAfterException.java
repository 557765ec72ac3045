package io.greenlight.engine;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Another system asked us to come back later (HTTP 429 with {@code Retry-After}). The failed job is
 * retried no earlier than that, whatever the task's retry cycle says: see {@link RetryAfterJobRetryCmd}.
 */
public class RetryAfterException extends RuntimeException {

  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
  private static final Duration LONGEST_RETRY_AFTER = Duration.ofHours(1);

  private final Duration retryAfter;

  public RetryAfterException(String message, Duration retryAfter) {
    super(message + " (retry after " + retryAfter.toSeconds() + " s)");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * How long a {@code Retry-After} header asks to wait: seconds or an HTTP date; a minute when it is missing or
   * unreadable, at most an hour.
   */
  public static Duration parse(String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT_RETRY_AFTER;
    }
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        wait = Duration.ofMillis(at.toInstant().toEpochMilli() - ClockUtil.getCurrentTime().getTime());
      } catch (RuntimeException notADate) {
        return DEFAULT_RETRY_AFTER;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait;
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
