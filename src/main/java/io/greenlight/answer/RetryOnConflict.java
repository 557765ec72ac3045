package io.greenlight.answer;

import java.util.Optional;

/**
 * An answer (or a delivery report) that collided with another change of the same request — another answer, a
 * notification job, the deadline — left nothing behind, and is tried again from scratch, at once: the change it
 * collided with has committed, so the next attempt sees who won, or records it. At most {@link #MOST_ATTEMPTS}.
 */
public final class RetryOnConflict {

  public static final int MOST_ATTEMPTS = 5;

  /** One attempt: its result, or empty when it collided and should be tried again; {@code last} when none follows. */
  @FunctionalInterface
  public interface Attempt<T> {
    Optional<T> run(boolean last);
  }

  private RetryOnConflict() {}

  /** The first attempt's result that is not empty; empty when every attempt collided. */
  public static <T> Optional<T> attempt(Attempt<T> attempt) {
    for (int number = 1; number <= MOST_ATTEMPTS; number++) {
      Optional<T> result = attempt.run(number == MOST_ATTEMPTS);
      if (result.isPresent()) {
        return result;
      }
    }
    return Optional.empty();
  }
}
