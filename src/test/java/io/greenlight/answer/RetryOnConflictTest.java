package io.greenlight.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryOnConflictTest {

  @Test
  void anAttemptThatCollidedIsTriedAgainUntilOneAnswers() {
    List<Boolean> lastFlags = new ArrayList<>();
    Optional<String> answer = RetryOnConflict.attempt(last -> {
      lastFlags.add(last);
      return lastFlags.size() < 3 ? Optional.empty() : Optional.of("recorded");
    });
    assertThat(answer).contains("recorded");
    assertThat(lastFlags).containsExactly(false, false, false);
  }

  @Test
  void afterTheLastAttemptCollidedThereIsNoAnswerAndTheLastOneKnewItWasLast() {
    List<Boolean> lastFlags = new ArrayList<>();
    Optional<String> answer = RetryOnConflict.attempt(last -> {
      lastFlags.add(last);
      return Optional.empty();
    });
    assertThat(answer).isEmpty();
    assertThat(lastFlags).hasSize(RetryOnConflict.MOST_ATTEMPTS).endsWith(true)
        .containsOnlyOnce(true);
  }
}
