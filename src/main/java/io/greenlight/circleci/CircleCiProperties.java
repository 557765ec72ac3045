package io.greenlight.circleci;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code greenlight.circleci.*}: where CircleCI's API v2 is, the service token used when the deciding approver has no
 * token of their own, and where CircleCI's web pages are ({@code web-url}, default {@code https://app.circleci.com}):
 * the only build links shown to approvers ({@link BuildLinks}).
 */
@ConfigurationProperties("greenlight.circleci")
public record CircleCiProperties(String baseUrl, String token, Duration connectTimeout, Duration readTimeout, String webUrl) {

  public CircleCiProperties {
    if (baseUrl == null || baseUrl.isBlank()) {
      baseUrl = "https://circleci.com/api/v2";
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    webUrl = webUrl == null || webUrl.isBlank() ? "https://app.circleci.com" : webUrl.trim();
    webUrl = webUrl.endsWith("/") ? webUrl.substring(0, webUrl.length() - 1) : webUrl;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
  }

  public boolean hasToken() {
    return token != null && !token.isBlank();
  }

  @Override
  public String toString() {
    // Never let the token reach a log line through a stray toString().
    return "CircleCiProperties[baseUrl=" + baseUrl + ", token=" + (hasToken() ? "(set)" : "(none)") + "]";
  }
}
