package io.greenlight.slack;

import com.slack.api.app_backend.SlackSignature;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks {@code X-Slack-Signature} (v0, HMAC-SHA256 of {@code v0:<timestamp>:<raw body>} with the app's signing secret)
 * with Slack's SDK, and refuses a {@code X-Slack-Request-Timestamp} more than five minutes from now either way, so a
 * captured request cannot be replayed. Without a signing secret nothing is valid.
 */
class SlackSignatures {

  static final String SIGNATURE = SlackSignature.HeaderNames.X_SLACK_SIGNATURE;
  static final String TIMESTAMP = SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP;
  static final Duration WINDOW = Duration.ofMinutes(5);

  private final SlackSignature.Verifier verifier;
  private final Clock clock;

  SlackSignatures(String signingSecret, Clock clock) {
    this.verifier = signingSecret == null || signingSecret.isBlank() ? null
        : new SlackSignature.Verifier(new SlackSignature.Generator(signingSecret));
    this.clock = clock;
  }

  boolean valid(String timestamp, String signature, String rawBody) {
    if (verifier == null || timestamp == null || signature == null || !timestamp.matches("^[0-9]{1,12}$")) {
      return false;
    }
    long now = clock.millis();
    if (Math.abs(now - Long.parseLong(timestamp) * 1000) > WINDOW.toMillis()) {
      return false;
    }
    return verifier.isValid(timestamp, rawBody, signature, now);
  }
}
