package io.greenlight.answer;

import java.util.Optional;

/**
 * An answer (or a delivery report) that collided with another change of the same request — another answer, a
 * notification job, the deadline — left nothing behind, and is tried again from scratch: the next attempt sees who won,
 * or records it. At most {@link #MOST_ATTEMPTS}, with {@code between} run before each further attempt.
 *
 * <p>Right after its approvers are asked, a request's notification jobs commit one after another; an answer retried at
 * once collided with the next of them in 6–8 % of answers on PostgreSQL, five times in a row. The answer path therefore
 * waits for the request's next commit (bounded, {@link RequestCommits}) before it tries again, not a fixed time.
 */
public final class RetryOnConflict {

  public static final int MOST_ATTEMPTS = 10;

  /** One attempt: its result, or empty when it collided and should be tried again; {@code last} when none follows. */
  @FunctionalInterface
  public interface Attempt<T> {
    Optional<T> run(boolean last);
  }

  /** What happens before attempt {@code number} (2, 3, …) after the previous one collided. */
  @FunctionalInterface
  public interface Between {
    void beforeAttempt(int number);
  }

  /** Try again at once. */
  public static final Between AT_ONCE = number -> { };

  private RetryOnConflict() {}

  /** The first attempt's result that is not empty; empty when every attempt collided. Tries again at once. */
  public static <T> Optional<T> attempt(Attempt<T> attempt) {
    return attempt(attempt, AT_ONCE);
  }

  /** The first attempt's result that is not empty; empty when every attempt collided. */
  public static <T> Optional<T> attempt(Attempt<T> attempt, Between between) {
    for (int number = 1; number <= MOST_ATTEMPTS; number++) {
      if (number > 1) {
        between.beforeAttempt(number);
      }
      Optional<T> result = attempt.run(number == MOST_ATTEMPTS);
      if (result.isPresent()) {
        return result;
      }
    }
    return Optional.empty();
  }
}
