package io.greenlight.freeze;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code greenlight.freezes.*}: who may declare freezes ({@code managers-group}, and admins), who may approve while
 * deploys are frozen ({@code break-glass-group}), how soon a break-glass approval must be reviewed
 * ({@code review-within}), and the freezes that come back on a schedule ({@code recurring}). A recurring freeze that
 * cannot work (a cron that is none or never fires, an unknown zone, no duration, no reason) stops the start, naming
 * {@code greenlight.freezes.recurring[n].<field>} ({@link RecurringFreeze#of}).
 */
@ConfigurationProperties("greenlight.freezes")
public record FreezeProperties(
    @DefaultValue("release-managers") String managersGroup,
    @DefaultValue("incident-commanders") String breakGlassGroup,
    @DefaultValue("P2D") Duration reviewWithin,
    List<Recurring> recurring) {

  public FreezeProperties {
    recurring = recurring == null ? List.of() : recurring;
    recurringFreezes(recurring, Instant.now());
    recurring = List.copyOf(recurring);
  }

  /** The recurring freezes, checked at {@code now} (a cron that never fires after it is refused). */
  public List<RecurringFreeze> recurringFreezes(Instant now) {
    return recurringFreezes(recurring, now);
  }

  private static List<RecurringFreeze> recurringFreezes(List<Recurring> recurring, Instant now) {
    List<RecurringFreeze> freezes = new ArrayList<>();
    for (int i = 0; i < recurring.size(); i++) {
      if (recurring.get(i) == null) {
        throw new IllegalArgumentException("greenlight.freezes.recurring[" + i + "] is empty: give its projects, cron, "
            + "duration, zone and reason");
      }
      freezes.add(RecurringFreeze.of(i, recurring.get(i), now));
    }
    return List.copyOf(freezes);
  }

  /**
   * A freeze that starts whenever {@code cron} fires (Spring's six fields: second minute hour day month weekday) in
   * {@code zone}, and lasts {@code duration}.
   */
  public record Recurring(@DefaultValue("*") String projects, String cron, Duration duration,
                          @DefaultValue("UTC") String zone, String reason) {}
}
