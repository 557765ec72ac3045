package io.greenlight.github;

import io.greenlight.web.ApiException;
import io.greenlight.web.WebhookCheck;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * GitHub's webhook ({@code /github/webhook}): signed with the App's webhook secret ({@code X-Hub-Signature-256} over the
 * raw body), or 401 before anything reads it. With GitHub gates off there is no secret to check against: the handler
 * says they are off.
 */
class GitHubWebhookCheck implements WebhookCheck {

  static final String SIGNATURE = "X-Hub-Signature-256";

  private final GitHubProperties settings;

  GitHubWebhookCheck(GitHubProperties settings) {
    this.settings = settings;
  }

  @Override
  public boolean covers(String path) {
    return path.startsWith("/github/");
  }

  @Override
  public boolean readsBody() {
    return true;
  }

  @Override
  public Optional<ApiException> refusal(HttpServletRequest request, byte[] body) {
    if (!settings.configured() || GitHubSignatures.valid(settings.webhookSecret(), body, request.getHeader(SIGNATURE))) {
      return Optional.empty();
    }
    return Optional.of(new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature", null,
        "X-Hub-Signature-256 is missing or does not match the body signed with the App's webhook secret. Nothing was started."));
  }
}
