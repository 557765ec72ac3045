package io.greenlight.freeze;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Every freeze: those declared through the API ({@code greenlight_freeze}) and the recurring ones of
 * {@code greenlight.freezes.recurring}. Nothing here reads a clock: every question names its moment, which callers take
 * from the engine's clock ({@code ClockUtil.getCurrentTime()}), so that tests that move it move freezes too.
 */
@Component
public class FreezeSchedule implements Freezes {

  /** What ending a freeze did. */
  public enum Ending { ENDED, ALREADY_ENDED, RECURRING, NOT_FOUND }

  private static final Comparator<Freeze> BY_START =
      Comparator.comparing(Freeze::startsAt).thenComparing(Freeze::endsAt).thenComparing(Freeze::id);

  private final DeclaredFreezes declared;
  private final List<RecurringFreeze> recurring;
  private final ApplicationEventPublisher events;

  FreezeSchedule(DeclaredFreezes declared, FreezeProperties properties, ApplicationEventPublisher events) {
    this.declared = declared;
    this.recurring = properties.recurringFreezes(Instant.now());
    this.events = events;
  }

  /** The freeze covering the project at {@code at} that ends last, its reason and end; empty when deploys are free. */
  @Override
  public Optional<ActiveFreeze> activeFor(String projectSlug, Instant at) {
    return covering(projectSlug, at).stream().max(Comparator.comparing(Freeze::endsAt)).map(Freeze::asActive);
  }

  /** Every freeze covering the project at {@code at} (a recurring one as its current occurrence), by start. */
  public List<Freeze> covering(String projectSlug, Instant at) {
    return activeAt(at).stream().filter(freeze -> freeze.covers(projectSlug)).toList();
  }

  /** Every freeze in force at {@code at}, whichever projects it covers, by start. */
  public List<Freeze> activeAt(Instant at) {
    List<Freeze> active = new ArrayList<>(declared.activeAt(at));
    recurring.forEach(freeze -> freeze.activeAt(at).map(freeze::asFreeze).ifPresent(active::add));
    active.sort(BY_START);
    return active;
  }

  /**
   * What {@code GET /api/freezes} lists at {@code at}: the declared freezes in force or still to come, and of each
   * recurring one its occurrence in force or else its next; by start.
   */
  public List<Freeze> activeAndUpcoming(Instant at) {
    List<Freeze> freezes = new ArrayList<>(declared.notEndedAt(at));
    recurring.forEach(freeze -> freeze.currentOrNext(at).map(freeze::asFreeze).ifPresent(freezes::add));
    freezes.sort(BY_START);
    return freezes;
  }

  /**
   * One freeze by id: a declared one as stored (also once ended), a recurring one ({@code recurring-<n>}) as its
   * occurrence in force at {@code at} or else its next.
   */
  public Optional<Freeze> find(String id, Instant at) {
    Optional<RecurringFreeze> configured = recurring(id);
    if (configured.isPresent()) {
      return configured.get().currentOrNext(at).map(configured.get()::asFreeze);
    }
    return isDeclaredId(id) ? declared.find(id.toLowerCase()) : Optional.empty();
  }

  /** The recurring freezes of the configuration, in its order. */
  public List<RecurringFreeze> recurring() {
    return recurring;
  }

  /**
   * Declares a freeze (the caller checked that it ends after it starts and after now) and tells the application
   * ({@link FreezesChanged}).
   */
  public Freeze declare(String projects, Instant startsAt, Instant endsAt, String reason, String createdBy, Instant now) {
    if (!Freeze.isProjectGlob(projects) || !endsAt.isAfter(startsAt) || reason == null || reason.isBlank()
        || reason.length() > Freeze.LONGEST_REASON || createdBy == null) {
      throw new IllegalArgumentException("Not a freeze: " + projects + " " + startsAt + "–" + endsAt);
    }
    Freeze freeze = new Freeze(UUID.randomUUID().toString(), projects, startsAt.truncatedTo(ChronoUnit.MILLIS),
        endsAt.truncatedTo(ChronoUnit.MILLIS), reason, createdBy, false);
    declared.insert(freeze, now);
    events.publishEvent(new FreezesChanged(projects));
    return freeze;
  }

  /** Ends a declared freeze at {@code now} (kept, with who ended it) and tells the application if it was in force or to come. */
  public Ending end(String id, String endedBy, Instant now) {
    if (recurring(id).isPresent()) {
      return Ending.RECURRING;
    }
    Optional<Freeze> freeze = isDeclaredId(id) ? declared.find(id.toLowerCase()) : Optional.empty();
    if (freeze.isEmpty()) {
      return Ending.NOT_FOUND;
    }
    if (!declared.end(freeze.get().id(), now.truncatedTo(ChronoUnit.MILLIS), endedBy)) {
      return Ending.ALREADY_ENDED;
    }
    events.publishEvent(new FreezesChanged(freeze.get().projects()));
    return Ending.ENDED;
  }

  /** Whether a project Greenlight has seen (in a request of the history, or with an approved deploy) matches the glob. */
  public boolean matchesAKnownProject(String projects) {
    return declared.knownProjects().stream().anyMatch(slug -> Freeze.covers(projects, slug));
  }

  private Optional<RecurringFreeze> recurring(String id) {
    return recurring.stream().filter(freeze -> freeze.id().equals(id)).findFirst();
  }

  private static boolean isDeclaredId(String id) {
    try {
      return id != null && UUID.fromString(id).toString().equalsIgnoreCase(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
