package io.greenlight.oncall;

import io.greenlight.directory.DirectoryFile;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Who of a rotation is on call at an instant. Shift {@code k} runs from {@code start + k × rotation}
 * (inclusive) to the next shift's start (exclusive): at the boundary instant the incoming member is on call.
 * A rotation of whole days with a zone is counted in calendar days of that zone, so a 09:00 handover stays at
 * 09:00 local time across daylight-saving changes (the shift around the change is an hour shorter or longer);
 * otherwise shifts are exact lengths of elapsed time. Before {@code start} the rotation runs backwards the same way.
 */
public final class Rotation {

  private static final Duration DAY = Duration.ofDays(1);

  private final Duration length;
  private final Instant start;
  private final List<String> members;
  private final ZoneId zone;

  public Rotation(DirectoryFile.OnCall onCall) {
    this.length = onCall.rotation();
    this.start = onCall.start();
    this.members = List.copyOf(onCall.members());
    this.zone = onCall.zone();
  }

  public record Shift(String member, Instant from, Instant until) {}

  public Shift at(Instant instant) {
    // A first guess in whole seconds (no overflow however far from start), corrected below.
    long k = Math.floorDiv(Duration.between(start, instant).getSeconds(), Math.max(1, length.getSeconds()));
    // Calendar days differ from elapsed days by at most an hour: step to the shift that really holds the instant.
    while (shiftStart(k).isAfter(instant)) {
      k--;
    }
    while (!shiftStart(k + 1).isAfter(instant)) {
      k++;
    }
    return shift(k);
  }

  /** The shift after the one holding {@code instant}. */
  public Shift after(Instant instant) {
    Shift current = at(instant);
    return at(current.until());
  }

  private Shift shift(long k) {
    return new Shift(members.get((int) Math.floorMod(k, (long) members.size())), shiftStart(k), shiftStart(k + 1));
  }

  private Instant shiftStart(long k) {
    if (zone != null && length.toNanos() % DAY.toNanos() == 0) {
      return ZonedDateTime.ofInstant(start, zone).plusDays(k * length.toDays()).toInstant();
    }
    return start.plus(length.multipliedBy(k));
  }
}
