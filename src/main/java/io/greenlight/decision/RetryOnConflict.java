package io.greenlight.decision;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An answer (or a delivery report) that collided with another change of the same request — another answer, a
 * notification job, the deadline — left nothing behind, and is tried again from scratch: the next attempt sees who won,
 * or records it. One policy for every channel: at most {@link #MOST_ATTEMPTS} attempts, with a short, growing, random
 * pause between them, so answers that collided do not collide again.
 */
public final class RetryOnConflict {

  public static final int MOST_ATTEMPTS = 10;

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
      if (number < MOST_ATTEMPTS) {
        pause(number);
      }
    }
    return Optional.empty();
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
