package io.greenlight.answer;

import java.util.function.Supplier;

/**
 * The channel an answer came through, known to the code that received it and handed to the task's complete
 * listener on the same thread; never a variable a person could set. Tasklist is the default.
 */
public final class DecisionChannel {

  public static final String TASKLIST = "tasklist";
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private DecisionChannel() {}

  public static <T> T during(String channel, Supplier<T> work) {
    CURRENT.set(channel);
    try {
      return work.get();
    } finally {
      CURRENT.remove();
    }
  }

  static String current() {
    String channel = CURRENT.get();
    return channel == null ? TASKLIST : channel;
  }
}
