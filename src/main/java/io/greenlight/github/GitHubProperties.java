package io.greenlight.github;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.github.*}: the GitHub App Greenlight acts as. GitHub gates are off until the App id, its private
 * key (PEM, as GitHub hands it out) and the webhook secret are all set. Calls to GitHub give up after the connect and
 * read timeouts (5 s and 10 s unless set), and are retried then.
 */
@ConfigurationProperties("greenlight.github")
public record GitHubProperties(String appId, String privateKey, String webhookSecret, String baseUrl,
                               Duration connectTimeout, Duration readTimeout) {

  static final String GITHUB_API = "https://api.github.com";

  @ConstructorBinding
  public GitHubProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? GITHUB_API : baseUrl.trim().replaceAll("/+$", "");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
  }

  public boolean configured() {
    return present(appId) && present(privateKey) && present(webhookSecret);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "GitHubProperties[appId=" + appId + ", privateKey=" + (present(privateKey) ? "(set)" : "(none)")
        + ", webhookSecret=" + (present(webhookSecret) ? "(set)" : "(none)") + ", baseUrl=" + baseUrl + "]";
  }
}
