package io.greenlight.answer;

import java.util.Optional;

/** The engine wraps what listeners and commands throw: the exception of a kind in a failure's cause chain. */
final class Causes {

  private Causes() {}

  static <T extends Throwable> Optional<T> first(Throwable failure, Class<T> kind) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (kind.isInstance(t)) {
        return Optional.of(kind.cast(t));
      }
    }
    return Optional.empty();
  }
}
