package io.greenlight.gitlab;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.gitlab.*}: the GitLab Greenlight answers deployment approvals on ({@code base-url}, GitLab.com unless
 * set; the REST API under {@code /api/v4}) and the bot user's token it acts with ({@code token}, scope {@code api}, sent
 * as {@code PRIVATE-TOKEN}). GitLab gates are off until the token is set. Calls give up after the connect and read
 * timeouts (5 s and 10 s unless set), and are retried then.
 */
@ConfigurationProperties("greenlight.gitlab")
public record GitLabProperties(String baseUrl, String token, Duration connectTimeout, Duration readTimeout) {

  static final String GITLAB_COM = "https://gitlab.com";

  @ConstructorBinding
  public GitLabProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? GITLAB_COM : baseUrl.trim().replaceAll("/+$", "");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
  }

  public boolean configured() {
    return token != null && !token.isBlank();
  }

  /** The REST API's root: {@code {base-url}/api/v4}. */
  String apiUrl() {
    return baseUrl + "/api/v4";
  }

  @Override
  public String toString() {
    return "GitLabProperties[baseUrl=" + baseUrl + ", token=" + (configured() ? "(set)" : "(none)") + "]";
  }
}
