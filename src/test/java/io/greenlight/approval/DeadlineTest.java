package io.greenlight.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A request's deadline, from the routing table's expiry, on the engine's clock and well within the retention. */
class DeadlineTest {

  private final Deadline deadline = new Deadline(Duration.ofDays(2));

  @AfterEach
  void backToNow() {
    ClockUtil.reset();
  }

  @Test
  void theDeadlineIsTheExpiryFromNowOnTheEnginesClock() {
    ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-12-02T10:00:00Z")));

    assertThat(deadline.after("PT3H")).isEqualTo(Date.from(Instant.parse("2026-12-02T13:00:00Z")));
    assertThat(deadline.after("P1D")).as("half the retention").isEqualTo(Date.from(Instant.parse("2026-12-03T10:00:00Z")));
  }

  @Test
  void anExpiryOfMoreThanHalfTheRetentionIsRefusedNamingBoth() {
    // Retention counts from when a request was made: such a request would lose its record soon after it ended.
    assertThatThrownBy(() -> deadline.after("P1DT1M"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P1DT1M")
        .hasMessageContaining("2 days")
        .hasMessageContaining("greenlight.history.retention");
  }

  @Test
  void anExpiryThatIsNoDurationIsRefused() {
    assertThatThrownBy(() -> deadline.after("three hours")).hasMessageContaining("not an ISO-8601 duration");
    assertThatThrownBy(() -> deadline.after("PT0S")).hasMessageContaining("not a positive duration");
  }
}
