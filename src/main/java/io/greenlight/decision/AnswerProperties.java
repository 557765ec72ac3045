package io.greenlight.decision;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.answers.*}: a person whose answers were refused {@code max-refused} times (10) within
 * {@code refusal-window} (5 minutes) is not listened to for the rest of that window ({@link RefusedAnswers}).
 */
@ConfigurationProperties("greenlight.answers")
public record AnswerProperties(int maxRefused, Duration refusalWindow) {

  @ConstructorBinding
  public AnswerProperties {
    maxRefused = maxRefused <= 0 ? 10 : maxRefused;
    refusalWindow = refusalWindow == null ? Duration.ofMinutes(5) : refusalWindow;
  }
}
