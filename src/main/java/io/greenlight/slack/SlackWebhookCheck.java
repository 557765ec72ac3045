package io.greenlight.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.web.ApiException;
import io.greenlight.web.WebhookCheck;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Slack's requests ({@code /slack/interactivity}): signed by the app's signing secret within the last five minutes
 * (401 otherwise), and from the bot token's own workspace (403 otherwise). A signing secret is the app's, and an app may
 * be installed in several workspaces: a click from another one must not answer for people in this directory.
 */
class SlackWebhookCheck implements WebhookCheck {

  private static final Logger log = LoggerFactory.getLogger(SlackWebhookCheck.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SlackSignatures signatures;
  private final Supplier<String> ownTeam;
  private volatile String learnedTeam;

  /** @param ownTeam the configured team id, or a call to Slack's {@code auth.test} that names it (asked once, kept) */
  SlackWebhookCheck(String signingSecret, Supplier<String> ownTeam) {
    this.signatures = new SlackSignatures(signingSecret, Clock.systemUTC());
    this.ownTeam = ownTeam;
  }

  @Override
  public boolean covers(String path) {
    return path.startsWith("/slack/");
  }

  @Override
  public boolean readsBody() {
    return true;
  }

  @Override
  public Optional<ApiException> refusal(HttpServletRequest request, byte[] body) {
    String raw = new String(body, StandardCharsets.UTF_8);
    if (!signatures.valid(request.getHeader(SlackSignatures.TIMESTAMP), request.getHeader(SlackSignatures.SIGNATURE), raw)) {
      return Optional.of(new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature", null,
          "Missing, wrong or stale X-Slack-Signature; nothing was changed."));
    }
    String team = teamOf(raw);
    String own;
    try {
      own = ownTeam();
    } catch (RuntimeException unknown) {
      log.warn("Could not learn the Slack workspace of the bot token (auth.test): {}", unknown.getMessage());
      return Optional.of(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", null,
          "Greenlight could not confirm its Slack workspace just now; nothing was changed. Try again in a moment."));
    }
    if (team == null || !team.equals(own)) {
      return Optional.of(new ApiException(HttpStatus.FORBIDDEN, "wrong_workspace", null,
          "This Slack workspace is not the one Greenlight answers for; nothing was changed."));
    }
    return Optional.empty();
  }

  private String ownTeam() {
    String team = learnedTeam;
    if (team == null) {
      team = ownTeam.get();
      if (team == null || team.isBlank()) {
        throw new IllegalStateException("Slack named no workspace");
      }
      learnedTeam = team;
    }
    return team;
  }

  /** {@code team.id} of the interaction payload (the {@code payload} form field); null when there is none. */
  static String teamOf(String body) {
    for (String pair : body.split("&")) {
      if (pair.startsWith("payload=")) {
        try {
          JsonNode payload = JSON.readTree(URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8));
          return payload == null ? null : payload.path("team").path("id").textValue();
        } catch (IOException | IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
