package io.greenlight.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * How one sender's webhooks prove they are theirs (Twilio's, Slack's, GitHub's signature), checked by
 * {@link WebhookChecks} before any handler reads what the request means: a request that fails never reaches one.
 */
public interface WebhookCheck {

  /** Whether requests to {@code path} (as the container mapped it) are this sender's webhooks. */
  boolean covers(String path);

  /** Whether the check reads the raw body (then handlers read it again from memory). */
  boolean readsBody();

  /**
   * Empty when the request is the sender's; otherwise the error to answer, nothing else done.
   *
   * @param body the raw body when {@link #readsBody()}, else null
   */
  Optional<ApiException> refusal(HttpServletRequest request, byte[] body);
}
