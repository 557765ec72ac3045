package io.greenlight.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.greenlight.freeze.RecurringFreeze.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** When a recurring freeze is in force, in its own zone, and what a configuration that cannot work is told. */
class RecurringFreezeTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  /** No deploys of gh/acme/** during Berlin business hours. */
  private static final RecurringFreeze BUSINESS_HOURS = RecurringFreeze.of(0,
      new FreezeProperties.Recurring("gh/acme/**", "0 0 9 * * MON-FRI", Duration.ofHours(8), "Europe/Berlin", "Business hours"), NOW);

  @Test
  void isInForceFromTheCronsStartForItsDurationInItsZone() {
    // Monday 2 March 2026: Berlin is UTC+1.
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 2, 10, 0)))
        .contains(new Window(Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-02T16:00:00Z")));
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 2, 9, 0))).as("from the start, included").isPresent();
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 2, 16, 59))).isPresent();
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 2, 8, 59))).as("before the start").isEmpty();
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 2, 17, 0))).as("the end, excluded").isEmpty();
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 2, 23, 0))).isEmpty();
    assertThat(BUSINESS_HOURS.activeAt(berlin(2026, 3, 7, 10, 0))).as("a Saturday").isEmpty();
  }

  @Test
  void theZoneIsTheFreezesNotUtc() {
    // 08:30 UTC is 09:30 in Berlin: frozen; 16:30 UTC is 17:30 in Berlin: free (in UTC it would be the other way round).
    assertThat(BUSINESS_HOURS.activeAt(Instant.parse("2026-03-02T08:30:00Z"))).isPresent();
    assertThat(BUSINESS_HOURS.activeAt(Instant.parse("2026-03-02T16:30:00Z"))).isEmpty();
    // In summer Berlin is UTC+2: business hours are 07:00–15:00 UTC.
    assertThat(BUSINESS_HOURS.activeAt(Instant.parse("2026-07-06T07:30:00Z")))
        .contains(new Window(Instant.parse("2026-07-06T07:00:00Z"), Instant.parse("2026-07-06T15:00:00Z")));
    assertThat(BUSINESS_HOURS.activeAt(Instant.parse("2026-07-06T15:30:00Z"))).isEmpty();
    // The Monday after the clocks went forward (29 March 2026) starts at 09:00 local all the same.
    assertThat(BUSINESS_HOURS.activeAt(Instant.parse("2026-03-30T07:00:00Z"))).map(Window::from)
        .contains(Instant.parse("2026-03-30T07:00:00Z"));
  }

  @Test
  void outsideItsHoursTheNextOccurrenceIsListed() {
    assertThat(BUSINESS_HOURS.currentOrNext(berlin(2026, 3, 7, 10, 0))).as("Saturday: Monday 09:00")
        .contains(new Window(Instant.parse("2026-03-09T08:00:00Z"), Instant.parse("2026-03-09T16:00:00Z")));
    assertThat(BUSINESS_HOURS.currentOrNext(berlin(2026, 3, 9, 12, 0))).as("while in force: the current one")
        .contains(new Window(Instant.parse("2026-03-09T08:00:00Z"), Instant.parse("2026-03-09T16:00:00Z")));
    Freeze listed = BUSINESS_HOURS.asFreeze(BUSINESS_HOURS.currentOrNext(berlin(2026, 3, 7, 10, 0)).orElseThrow());
    assertThat(listed.id()).isEqualTo("recurring-0");
    assertThat(listed.recurring()).isTrue();
    assertThat(listed.createdBy()).isNull();
    assertThat(listed.reason()).isEqualTo("Business hours");
  }

  @Test
  void overlappingOccurrencesRunOnAsOne() {
    RecurringFreeze twiceADay = RecurringFreeze.of(1,
        new FreezeProperties.Recurring("*", "0 0 9,13 * * *", Duration.ofHours(5), "UTC", "Maintenance"), NOW);

    assertThat(twiceADay.activeAt(Instant.parse("2026-03-02T10:00:00Z")))
        .contains(new Window(Instant.parse("2026-03-02T09:00:00Z"), Instant.parse("2026-03-02T18:00:00Z")));
    assertThat(twiceADay.activeAt(Instant.parse("2026-03-02T17:59:00Z"))).isPresent();
    assertThat(twiceADay.activeAt(Instant.parse("2026-03-02T18:00:00Z"))).isEmpty();
  }

  @Test
  void coversTheProjectsOfItsGlob() {
    assertThat(BUSINESS_HOURS.covers("gh/acme/shop")).isTrue();
    assertThat(BUSINESS_HOURS.covers("GH/Acme/Shop")).as("slugs compare without case").isTrue();
    assertThat(BUSINESS_HOURS.covers("gh/other/shop")).isFalse();
    RecurringFreeze everything = RecurringFreeze.of(2,
        new FreezeProperties.Recurring("*", "0 0 0 24 12 *", Duration.ofDays(2), "UTC", "Christmas"), NOW);
    assertThat(everything.covers("gl/group/sub/app")).as("* alone is every project, of any depth").isTrue();
  }

  @Test
  void aConfigurationThatCannotWorkIsRefusedNamingTheProperty() {
    assertRefused(recurring("gh/acme/*", "0 0 9 * *", "PT8H", "Europe/Berlin", "Business hours"),
        "greenlight.freezes.recurring[3].cron '0 0 9 * *' is not a cron expression");
    assertRefused(recurring("gh/acme/*", "0 0 25 * * *", "PT8H", "Europe/Berlin", "Business hours"),
        "greenlight.freezes.recurring[3].cron '0 0 25 * * *' is not a cron expression");
    assertRefused(recurring("gh/acme/*", null, "PT8H", "Europe/Berlin", "Business hours"),
        "greenlight.freezes.recurring[3].cron is required");
    assertRefused(recurring("gh/acme/*", "0 0 0 30 2 *", "PT8H", "UTC", "Never"),
        "greenlight.freezes.recurring[3].cron '0 0 0 30 2 *' never fires");
    assertRefused(recurring("gh/acme/*", "0 0 9 * * MON-FRI", "PT8H", "Europe/Berln", "Business hours"),
        "greenlight.freezes.recurring[3].zone 'Europe/Berln' is not a time zone");
    assertRefused(recurring("gh/acme/*", "0 0 9 * * MON-FRI", null, "UTC", "Business hours"),
        "greenlight.freezes.recurring[3].duration is required");
    assertRefused(recurring("gh/acme/*", "0 0 9 * * MON-FRI", "PT0S", "UTC", "Business hours"),
        "greenlight.freezes.recurring[3].duration must be longer than nothing");
    assertRefused(recurring("gh/acme/*", "0 0 9 * * MON-FRI", "-PT1H", "UTC", "Business hours"),
        "greenlight.freezes.recurring[3].duration must be longer than nothing");
    assertRefused(recurring("gh/acme/*", "0 0 9 * * MON-FRI", "PT8H", "UTC", " "),
        "greenlight.freezes.recurring[3].reason is required");
    assertRefused(recurring("gh/acme shop", "0 0 9 * * MON-FRI", "PT8H", "UTC", "Business hours"),
        "greenlight.freezes.recurring[3].projects must be a glob");
  }

  @Test
  void aCronThatFiresRarelyIsNoCronThatNeverFires() {
    RecurringFreeze leapDays = RecurringFreeze.of(0,
        new FreezeProperties.Recurring("*", "0 0 0 29 2 *", Duration.ofDays(1), "UTC", "Leap day"), NOW);
    assertThat(leapDays.currentOrNext(NOW)).map(Window::from).contains(Instant.parse("2028-02-29T00:00:00Z"));
  }

  private static FreezeProperties.Recurring recurring(String projects, String cron, String duration, String zone, String reason) {
    return new FreezeProperties.Recurring(projects, cron, duration == null ? null : Duration.parse(duration), zone, reason);
  }

  private static void assertRefused(FreezeProperties.Recurring settings, String message) {
    assertThatThrownBy(() -> RecurringFreeze.of(3, settings, NOW)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  private static Instant berlin(int year, int month, int day, int hour, int minute) {
    return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, BERLIN).toInstant();
  }
}
