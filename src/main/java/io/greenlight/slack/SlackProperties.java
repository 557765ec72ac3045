package io.greenlight.slack;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.slack.*}. Slack is off until both the bot token ({@code xoxb-…}) and the app's signing secret are
 * set. Clicks are taken only from the bot token's own workspace: {@code team-id} ({@code T…}), or, unset, the one Slack's
 * {@code auth.test} names for the token. Calls to Slack give up after the connect and read timeouts (5 s and 10 s unless set), and are retried then.
 */
@ConfigurationProperties("greenlight.slack")
public record SlackProperties(String botToken, String signingSecret, String baseUrl, Duration connectTimeout,
                              Duration readTimeout, String teamId) {

  static final String SLACK_API = "https://slack.com/api";

  @ConstructorBinding
  public SlackProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? SLACK_API : baseUrl.trim().replaceAll("/+$", "");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
  }

  public boolean configured() {
    return present(botToken) && present(signingSecret);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "SlackProperties[botToken=" + (present(botToken) ? "(set)" : "(none)") + ", signingSecret="
        + (present(signingSecret) ? "(set)" : "(none)") + ", baseUrl=" + baseUrl + "]";
  }
}
