package io.greenlight.oncall;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.directory.DirectoryFile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rotation maths, checked on thousands of instants across shifts, years and daylight-saving changes. */
class RotationTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final List<String> MANAGERS = List.of("alice", "bob", "carol");
  private static final int SAMPLES = 5_000;

  @Test
  void aDailyRotationInAZoneHandsOverAtTheSameLocalTimeAllYearRound() {
    Instant start = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, BERLIN).toInstant();
    Rotation rotation = new Rotation(new DirectoryFile.OnCall(Duration.ofDays(1), start, MANAGERS, BERLIN));

    for (Instant instant : instantsAround(start, 3 * 365)) {
      Rotation.Shift shift = rotation.at(instant);

      assertThat(shift.from()).isBeforeOrEqualTo(instant);
      assertThat(shift.until()).isAfter(instant);
      ZonedDateTime from = shift.from().atZone(BERLIN);
      assertThat(from.toLocalTime()).isEqualTo(LocalTime.of(9, 0));
      assertThat(shift.until().atZone(BERLIN)).isEqualTo(from.plusDays(1));
      long days = ChronoUnit.DAYS.between(start.atZone(BERLIN).toLocalDate(), from.toLocalDate());
      assertThat(shift.member()).isEqualTo(MANAGERS.get((int) Math.floorMod(days, 3L)));
      assertContiguous(rotation, shift);
    }
  }

  @Test
  void theShiftAcrossADaylightSavingChangeIsAnHourShorterOrLonger() {
    Instant start = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, BERLIN).toInstant();
    Rotation rotation = new Rotation(new DirectoryFile.OnCall(Duration.ofDays(1), start, MANAGERS, BERLIN));

    Rotation.Shift springForward = rotation.at(ZonedDateTime.of(2026, 3, 28, 23, 0, 0, 0, BERLIN).toInstant());
    Rotation.Shift fallBack = rotation.at(ZonedDateTime.of(2026, 10, 24, 23, 0, 0, 0, BERLIN).toInstant());

    assertThat(Duration.between(springForward.from(), springForward.until())).isEqualTo(Duration.ofHours(23));
    assertThat(Duration.between(fallBack.from(), fallBack.until())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void aWeeklyRotationKeepsMondayNineInNewYork() {
    Instant start = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, NEW_YORK).toInstant();
    Rotation rotation = new Rotation(new DirectoryFile.OnCall(Duration.ofDays(7), start, MANAGERS, NEW_YORK));

    for (Instant instant : instantsAround(start, 4 * 365)) {
      Rotation.Shift shift = rotation.at(instant);

      ZonedDateTime from = shift.from().atZone(NEW_YORK);
      assertThat(from.getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
      assertThat(from.toLocalTime()).isEqualTo(LocalTime.of(9, 0));
      assertThat(Duration.between(shift.from(), shift.until()).toHours()).isBetween(167L, 169L);
      assertContiguous(rotation, shift);
    }
  }

  @Test
  void withoutAZoneShiftsAreExactLengthsOfElapsedTime() {
    Instant start = Instant.parse("2026-01-05T09:00:00Z");
    Rotation rotation = new Rotation(new DirectoryFile.OnCall(Duration.ofHours(8), start, MANAGERS, null));

    for (Instant instant : instantsAround(start, 2 * 365)) {
      Rotation.Shift shift = rotation.at(instant);

      assertThat(Duration.between(shift.from(), shift.until())).isEqualTo(Duration.ofHours(8));
      assertThat(Duration.between(start, shift.from()).toNanos() % Duration.ofHours(8).toNanos()).isZero();
      assertContiguous(rotation, shift);
    }
  }

  @Test
  void theIncomingMemberHoldsTheBoundaryInstant() {
    Instant start = Instant.parse("2026-01-05T09:00:00Z");
    Rotation rotation = new Rotation(new DirectoryFile.OnCall(Duration.ofDays(7), start, MANAGERS, null));

    assertThat(rotation.at(start).member()).isEqualTo("alice");
    assertThat(rotation.at(start.minusNanos(1)).member()).isEqualTo("carol");
    assertThat(rotation.at(start.plus(Duration.ofDays(7))).member()).isEqualTo("bob");
    assertThat(rotation.at(start.plus(Duration.ofDays(21))).member()).isEqualTo("alice");
    assertThat(rotation.after(start).member()).isEqualTo("bob");
    assertThat(rotation.after(start).from()).isEqualTo(start.plus(Duration.ofDays(7)));
  }

  /** The shift ends where the next begins, with the next member. */
  private static void assertContiguous(Rotation rotation, Rotation.Shift shift) {
    assertThat(rotation.at(shift.until().minusNanos(1))).isEqualTo(shift);
    Rotation.Shift next = rotation.at(shift.until());
    assertThat(next.from()).isEqualTo(shift.until());
    assertThat(MANAGERS.indexOf(next.member())).isEqualTo((MANAGERS.indexOf(shift.member()) + 1) % MANAGERS.size());
  }

  /** Random instants (a fixed seed, so a failure can be replayed) before and after the start. */
  private static List<Instant> instantsAround(Instant start, int days) {
    Random random = new Random(20261124L);
    long span = Duration.ofDays(days).toSeconds();
    return random.longs(SAMPLES, -span / 4, span)
        .mapToObj(seconds -> start.plusSeconds(seconds).plusNanos(random.nextInt(1_000_000_000))).toList();
  }
}
