package io.greenlight.freeze;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code greenlight.freezes.*}: who may declare freezes ({@code managers-group}, and admins), who may approve while
 * deploys are frozen ({@code break-glass-group}), how soon a break-glass approval must be reviewed
 * ({@code review-within}), and the freezes that come back on a schedule ({@code recurring}).
 */
@ConfigurationProperties("greenlight.freezes")
public record FreezeProperties(
    @DefaultValue("release-managers") String managersGroup,
    @DefaultValue("incident-commanders") String breakGlassGroup,
    @DefaultValue("P2D") Duration reviewWithin,
    List<Recurring> recurring) {

  public FreezeProperties {
    recurring = recurring == null ? List.of() : List.copyOf(recurring);
  }

  /**
   * A freeze that starts whenever {@code cron} fires (Spring's six fields: second minute hour day month weekday) in
   * {@code zone}, and lasts {@code duration}.
   */
  public record Recurring(@DefaultValue("*") String projects, String cron, Duration duration,
                          @DefaultValue("UTC") String zone, String reason) {}
}
