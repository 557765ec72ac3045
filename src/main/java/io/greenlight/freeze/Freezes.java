package io.greenlight.freeze;

import java.time.Instant;
import java.util.Optional;

/** Whether deploys of a project are frozen at a moment: declared freezes and recurring ones from configuration alike. */
public interface Freezes {

  /**
   * The freeze covering {@code projectSlug} at {@code at}, if any. With overlapping freezes: the one ending last (its
   * {@code until} is when deploys open again, as far as is known now), its reason.
   */
  Optional<ActiveFreeze> activeFor(String projectSlug, Instant at);
}
