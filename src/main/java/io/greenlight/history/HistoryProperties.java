package io.greenlight.history;

import java.time.Duration;
import java.time.LocalTime;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.history.*}: how long a request's record is kept after it was made ({@code retention}, whole days,
 * default 400), and the nightly window in which the engine removes what is older ({@code cleanup-window-start} and
 * {@code -end}, the server's local time, default 01:00–05:00); whether the engine's own bookkeeping (multi-instance
 * counters, the log of jobs that ran as planned) is kept in the history too ({@code engine-bookkeeping}, default false:
 * see {@link AuditHistoryLevel}).
 */
@ConfigurationProperties("greenlight.history")
public record HistoryProperties(Duration retention, LocalTime cleanupWindowStart, LocalTime cleanupWindowEnd,
                                boolean engineBookkeeping) {

  @ConstructorBinding
  public HistoryProperties {
    retention = retention == null ? Duration.ofDays(400) : retention;
    cleanupWindowStart = cleanupWindowStart == null ? LocalTime.of(1, 0) : cleanupWindowStart;
    cleanupWindowEnd = cleanupWindowEnd == null ? LocalTime.of(5, 0) : cleanupWindowEnd;
    if (retention.toDays() < 1 || !retention.equals(Duration.ofDays(retention.toDays()))) {
      throw new IllegalArgumentException("greenlight.history.retention must be a whole number of days, at least one (such as P400D), not "
          + retention);
    }
    if (cleanupWindowStart.equals(cleanupWindowEnd)) {
      throw new IllegalArgumentException("greenlight.history.cleanup-window-start and -end must differ");
    }
  }

  /** The retention as the engine's history time to live: whole days. */
  public int retentionDays() {
    return Math.toIntExact(retention.toDays());
  }
}
