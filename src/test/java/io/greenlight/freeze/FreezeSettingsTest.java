package io.greenlight.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** {@code greenlight.freezes.*} as Spring binds it at start-up: defaults, and a recurring freeze that cannot work stops the start. */
class FreezeSettingsTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FreezeProperties.class)
  static class Settings {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class);

  @Test
  void withoutSettingsTheDefaultsApply() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      FreezeProperties properties = context.getBean(FreezeProperties.class);
      assertThat(properties.managersGroup()).isEqualTo("release-managers");
      assertThat(properties.breakGlassGroup()).isEqualTo("incident-commanders");
      assertThat(properties.reviewWithin()).isEqualTo(Duration.ofDays(2));
      assertThat(properties.recurring()).isEmpty();
    });
  }

  @Test
  void aRecurringFreezeBindsWithItsDefaults() {
    runner.withPropertyValues(
            "greenlight.freezes.recurring[0].projects=gh/acme/**",
            "greenlight.freezes.recurring[0].cron=0 0 9 * * MON-FRI",
            "greenlight.freezes.recurring[0].duration=8h",
            "greenlight.freezes.recurring[0].zone=Europe/Berlin",
            "greenlight.freezes.recurring[0].reason=Business hours",
            "greenlight.freezes.recurring[1].cron=0 0 0 24 12 *",
            "greenlight.freezes.recurring[1].duration=P3D",
            "greenlight.freezes.recurring[1].reason=Christmas")
        .run(context -> {
          assertThat(context).hasNotFailed();
          var freezes = context.getBean(FreezeProperties.class).recurringFreezes(Instant.now());
          assertThat(freezes).extracting(RecurringFreeze::id).containsExactly("recurring-0", "recurring-1");
          assertThat(freezes.get(0).duration()).isEqualTo(Duration.ofHours(8));
          assertThat(freezes.get(1).projects()).as("default: every project").isEqualTo("*");
          assertThat(freezes.get(1).zone().getId()).as("default zone").isEqualTo("UTC");
        });
  }

  @Test
  void aCronThatIsNoneStopsTheStart() {
    assertStartFails("greenlight.freezes.recurring[0].cron '0 0 9 * *' is not a cron expression",
        "greenlight.freezes.recurring[0].cron=0 0 9 * *",
        "greenlight.freezes.recurring[0].duration=PT8H",
        "greenlight.freezes.recurring[0].reason=Business hours");
  }

  @Test
  void anUnknownZoneStopsTheStart() {
    assertStartFails("greenlight.freezes.recurring[1].zone 'Europe/Atlantis' is not a time zone",
        "greenlight.freezes.recurring[0].cron=0 0 9 * * MON-FRI",
        "greenlight.freezes.recurring[0].duration=PT8H",
        "greenlight.freezes.recurring[0].reason=Business hours",
        "greenlight.freezes.recurring[1].cron=0 0 9 * * MON-FRI",
        "greenlight.freezes.recurring[1].duration=PT8H",
        "greenlight.freezes.recurring[1].zone=Europe/Atlantis",
        "greenlight.freezes.recurring[1].reason=Business hours");
  }

  @Test
  void aCronThatNeverFiresStopsTheStart() {
    assertStartFails("greenlight.freezes.recurring[0].cron '0 0 0 30 2 *' never fires",
        "greenlight.freezes.recurring[0].cron=0 0 0 30 2 *",
        "greenlight.freezes.recurring[0].duration=P1D",
        "greenlight.freezes.recurring[0].reason=The 30th of February");
  }

  @Test
  void aMissingOrEmptyDurationStopsTheStart() {
    assertStartFails("greenlight.freezes.recurring[0].duration is required",
        "greenlight.freezes.recurring[0].cron=0 0 9 * * MON-FRI",
        "greenlight.freezes.recurring[0].reason=Business hours");
    assertStartFails("greenlight.freezes.recurring[0].duration must be longer than nothing",
        "greenlight.freezes.recurring[0].cron=0 0 9 * * MON-FRI",
        "greenlight.freezes.recurring[0].duration=0s",
        "greenlight.freezes.recurring[0].reason=Business hours");
  }

  private void assertStartFails(String message, String... properties) {
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasFailed();
      Throwable cause = context.getStartupFailure();
      StringBuilder chain = new StringBuilder();
      for (; cause != null; cause = cause.getCause()) {
        chain.append(cause.getMessage()).append('\n');
      }
      assertThat(chain.toString()).contains(message);
    });
  }
}
