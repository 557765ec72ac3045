package io.greenlight.freeze;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * One of {@code greenlight.freezes.recurring}, checked and ready to use: it starts whenever {@code cron} fires in
 * {@code zone} and lasts {@code duration}. It is in force at {@code t} when {@code cron.next(t - duration) <= t}
 * (an occurrence began within the last {@code duration}); occurrences that overlap or touch run on as one.
 *
 * @param index its place in {@code greenlight.freezes.recurring}: its id is {@code recurring-<index>}
 */
public record RecurringFreeze(int index, String projects, CronExpression cron, String cronText, Duration duration,
                              ZoneId zone, String reason) {

  /** The id {@code GET /api/freezes} gives it. */
  public static final String ID_PREFIX = "recurring-";
  /** Occurrences followed when they overlap, to find when the freeze really ends (a cron every minute lasting a day). */
  private static final int MOST_OCCURRENCES_CHAINED = 1000;
  private static final String CRON_FORM =
      "Spring's six fields: second minute hour day-of-month month day-of-week, such as 0 0 9 * * MON-FRI";

  /** A stretch of time the freeze is in force: {@code from} included, {@code until} excluded. */
  public record Window(Instant from, Instant until) {}

  /**
   * Checks {@code greenlight.freezes.recurring[index]} at {@code now}: every problem names the property, so that a start
   * with a freeze that cannot work stops with the reason.
   */
  public static RecurringFreeze of(int index, FreezeProperties.Recurring settings, Instant now) {
    String property = "greenlight.freezes.recurring[" + index + "].";
    String projects = settings.projects() == null ? Freeze.EVERY_PROJECT : settings.projects().trim();
    if (!Freeze.isProjectGlob(projects)) {
      throw new IllegalArgumentException(property + "projects must be a glob over project slugs such as gh/acme/* or "
          + "gh/acme/** (letters, digits, '.', '_', '-', '/' and '*'; * alone: every project), not '" + projects + "'");
    }
    if (settings.cron() == null || settings.cron().isBlank()) {
      throw new IllegalArgumentException(property + "cron is required: when the freeze starts, in " + CRON_FORM);
    }
    String cronText = settings.cron().trim();
    CronExpression cron;
    try {
      cron = CronExpression.parse(cronText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + "cron '" + cronText + "' is not a cron expression (" + e.getMessage()
          + "); write " + CRON_FORM, e);
    }
    if (settings.duration() == null) {
      throw new IllegalArgumentException(property + "duration is required: how long each freeze lasts, in ISO-8601 such as PT8H");
    }
    if (settings.duration().isZero() || settings.duration().isNegative()) {
      throw new IllegalArgumentException(property + "duration must be longer than nothing, such as PT8H, not " + settings.duration());
    }
    String zoneText = settings.zone() == null || settings.zone().isBlank() ? "UTC" : settings.zone().trim();
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(property + "zone '" + zoneText + "' is not a time zone: write a region such as "
          + "Europe/Berlin or America/New_York, or UTC", e);
    }
    if (settings.reason() == null || settings.reason().isBlank()) {
      throw new IllegalArgumentException(property + "reason is required: approvers are told why deploys are frozen");
    }
    if (settings.reason().length() > Freeze.LONGEST_REASON) {
      throw new IllegalArgumentException(property + "reason must be at most " + Freeze.LONGEST_REASON + " characters");
    }
    if (cron.next(now.atZone(zone)) == null) {
      throw new IllegalArgumentException(property + "cron '" + cronText + "' never fires (no such day: a 30th of February, "
          + "a 31st of April?), so the freeze would never start");
    }
    return new RecurringFreeze(index, projects, cron, cronText, settings.duration(), zone, settings.reason().trim());
  }

  public String id() {
    return ID_PREFIX + index;
  }

  /** The occurrence {@code window} as the API lists it. */
  public Freeze asFreeze(Window window) {
    return new Freeze(id(), projects, window.from(), window.until(), reason, null, true);
  }

  public boolean covers(String projectSlug) {
    return Freeze.covers(projects, projectSlug);
  }

  /** The occurrence in force at {@code at} (with those that overlap it and follow), if any. */
  public Optional<Window> activeAt(Instant at) {
    Instant start = nextStart(at.minus(duration));
    if (start == null || start.isAfter(at)) {
      return Optional.empty();
    }
    return Optional.of(new Window(start, endOfRun(start)));
  }

  /** The occurrence in force at {@code at}, else the next one to come. */
  public Optional<Window> currentOrNext(Instant at) {
    Optional<Window> active = activeAt(at);
    if (active.isPresent()) {
      return active;
    }
    Instant start = nextStart(at);
    return start == null ? Optional.empty() : Optional.of(new Window(start, endOfRun(start)));
  }

  /** When the occurrence that starts at {@code start} ends, with every occurrence that starts before it ended. */
  private Instant endOfRun(Instant start) {
    Instant until = start.plus(duration);
    Instant next = start;
    for (int i = 0; i < MOST_OCCURRENCES_CHAINED; i++) {
      next = nextStart(next);
      if (next == null || next.isAfter(until)) {
        break;
      }
      until = next.plus(duration);
    }
    return until;
  }

  /** The first start strictly after {@code after}, in the freeze's zone. */
  private Instant nextStart(Instant after) {
    ZonedDateTime next = cron.next(after.atZone(zone));
    return next == null ? null : next.toInstant();
  }
}
