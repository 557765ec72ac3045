package io.greenlight.answer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.answers.*}: a person (or an unknown phone number or Slack account) whose answers were refused
 * {@code max-refused} times (10) within {@code refusal-window} (5 minutes) is not listened to for the rest of that window
 * ({@link RefusalLimit}); an answer of someone who may answer a request still being set up waits for it at most
 * {@code setting-up-wait} (10 s), and at most {@code max-waiting-answers} (20) answers wait at once on a node
 * ({@link SettingUpWait}).
 */
@ConfigurationProperties("greenlight.answers")
public record AnswerProperties(int maxRefused, Duration refusalWindow, Duration settingUpWait, int maxWaitingAnswers) {

  @ConstructorBinding
  public AnswerProperties {
    maxRefused = maxRefused <= 0 ? 10 : maxRefused;
    refusalWindow = refusalWindow == null ? Duration.ofMinutes(5) : refusalWindow;
    settingUpWait = settingUpWait == null ? Duration.ofSeconds(10) : settingUpWait;
    maxWaitingAnswers = maxWaitingAnswers <= 0 ? 20 : maxWaitingAnswers;
  }
}
