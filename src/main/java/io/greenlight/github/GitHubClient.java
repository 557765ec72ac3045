package io.greenlight.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.metrics.GreenlightMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * GitHub's REST API as the App uses it: an installation token (asked for with the App's JWT, kept until shortly before
 * it expires) and the review of a deployment protection rule. Errors are sorted for the engine like CircleCI's: a
 * {@link RetryAfterException} for a rate limit, {@link GitHubUnavailableException} (retried) for what may pass,
 * {@link GitHubRefusedException} for what never will. Tokens never leave this class.
 */
public class GitHubClient {

  private static final String API_VERSION = "2022-11-28";
  /** A token is used until this long before GitHub says it expires (they last an hour). */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);
  /**
   * A review callback's path: owner and repository as GitHub spells them, never a segment of dots alone ({@code .} and
   * {@code ..} would lead the token elsewhere once a server normalises the path) and never a {@code %} (no encoded
   * slash or backslash), so the path is the one a server acts on.
   */
  private static final Pattern CALLBACK_PATH = Pattern.compile(
      "/repos/(?!\\.+/)([A-Za-z0-9_.-]+)/(?!\\.+/)([A-Za-z0-9_.-]+)/actions/runs/[0-9]+/deployment_protection_rule");

  private final GitHubProperties properties;
  private final Optional<GitHubAppKey> appKey;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Long, InstallationToken> tokens = new ConcurrentHashMap<>();

  private record InstallationToken(String token, Instant expiresAt) {}

  GitHubClient(GitHubProperties properties, Optional<GitHubAppKey> appKey) {
    this.properties = properties;
    this.appKey = appKey;
    this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public boolean configured() {
    return appKey.isPresent();
  }

  /** Whether {@code url} is a review callback on the configured GitHub: the App's token goes nowhere else. */
  public boolean isCallbackOnThisGitHub(String url) {
    return callbackRepository(url).isPresent();
  }

  /**
   * Whether {@code url} is a review callback on the configured GitHub for a run of {@code repository} (owner/name,
   * compared case-insensitively as GitHub compares names): an installation's token reviews only the repository the
   * event was about.
   */
  public boolean isCallbackFor(String url, String repository) {
    return callbackRepository(url).filter(named -> named.equalsIgnoreCase(repository)).isPresent();
  }

  /** The owner/name a review callback on the configured GitHub names, or empty when {@code url} is no such callback. */
  private Optional<String> callbackRepository(String url) {
    if (url == null || !url.startsWith(properties.baseUrl() + "/")) {
      return Optional.empty();
    }
    Matcher path = CALLBACK_PATH.matcher(url.substring(properties.baseUrl().length()));
    return path.matches() ? Optional.of(path.group(1) + "/" + path.group(2)) : Optional.empty();
  }

  /**
   * Approves or rejects the App's protection rule on a run's environment ({@code deployment_callback_url}, a review of a
   * run of {@code repository}) with an {@link #installationToken}; the status code GitHub answered (204). A
   * {@link GitHubUnavailableException} that {@linkplain GitHubUnavailableException#notTaken() says so} proves GitHub did
   * not take the review.
   */
  public int review(String callbackUrl, String repository, long installationId, String token, String environment,
                    String state, String comment) {
    if (!isCallbackFor(callbackUrl, repository)) {
      throw new GitHubRefusedException(400, "The callback " + callbackUrl + " is not a deployment protection rule review of "
          + repository + " on " + properties.baseUrl() + "; Greenlight sends the App's token nowhere else");
    }
    String body = json.createObjectNode().put("environment_name", environment).put("state", state).put("comment", comment)
        .toString();
    HttpResponse<String> answer = send("review", HttpRequest.newBuilder(URI.create(callbackUrl))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (answer.statusCode() == 401) {
      // The token was revoked or expired early: the next attempt asks for a new one.
      tokens.remove(installationId);
      throw GitHubUnavailableException.notTaken("GitHub did not take the installation token (401); a new one is asked for on retry");
    }
    sortFailures("review", answer);
    return answer.statusCode();
  }

  /**
   * A token of the App's installation, kept until shortly before it expires. GitHub refusing the App's JWT or the
   * installation (401, 403, 404, 422) is a setting an admin must fix (the App id, its key, the machine's clock, the
   * App installed on the repository): retried, then an incident, never a refusal that fails the request.
   */
  public String installationToken(long installationId) {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    InstallationToken kept = tokens.get(installationId);
    if (kept != null && kept.expiresAt().minus(TOKEN_MARGIN).isAfter(now)) {
      return kept.token();
    }
    GitHubAppKey key = appKey.orElseThrow(() -> new GitHubUnavailableException(
        "The GitHub App is not configured (greenlight.github.app-id, private-key, webhook-secret): nothing can be sent to GitHub"));
    HttpResponse<String> answer = send("installation_token", HttpRequest.newBuilder(
            URI.create(properties.baseUrl() + "/app/installations/" + installationId + "/access_tokens"))
        .header("Authorization", "Bearer " + key.jwt(now))
        .POST(HttpRequest.BodyPublishers.noBody()));
    try {
      sortFailures("installation_token", answer);
    } catch (GitHubRefusedException refused) {
      throw new GitHubUnavailableException(refused.getMessage() + " (check greenlight.github.app-id and private-key, this "
          + "machine's clock, and that the App is installed on the repository)");
    }
    try {
      JsonNode created = json.readTree(answer.body());
      String token = created.path("token").asText(null);
      if (token == null || token.isBlank()) {
        throw new GitHubUnavailableException("GitHub's installation token answer holds no token");
      }
      Instant expiresAt = created.hasNonNull("expires_at") ? Instant.parse(created.get("expires_at").asText())
          : now.plus(Duration.ofHours(1));
      tokens.put(installationId, new InstallationToken(token, expiresAt));
      return token;
    } catch (IOException | RuntimeException unreadable) {
      if (unreadable instanceof GitHubUnavailableException unavailable) {
        throw unavailable;
      }
      throw new GitHubUnavailableException("GitHub's installation token answer is unreadable", unreadable);
    }
  }

  private HttpResponse<String> send(String operation, HttpRequest.Builder request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> answer = http.send(request.timeout(properties.readTimeout())
          .header("Accept", "application/vnd.github+json")
          .header("X-GitHub-Api-Version", API_VERSION)
          .header("User-Agent", "Greenlight")
          .build(), HttpResponse.BodyHandlers.ofString());
      GreenlightMetrics.gitHubCall(operation, GreenlightMetrics.outcomeOf(answer.statusCode()),
          Duration.ofNanos(System.nanoTime() - started));
      return answer;
    } catch (IOException unreachable) {
      GreenlightMetrics.gitHubCall(operation, GreenlightMetrics.UNREACHABLE, Duration.ofNanos(System.nanoTime() - started));
      throw new GitHubUnavailableException("GitHub could not be reached (" + unreachable.getClass().getSimpleName() + ")",
          unreachable);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new GitHubUnavailableException("Interrupted while calling GitHub", interrupted);
    }
  }

  /** 2xx passes; a rate limit waits as GitHub asks; 5xx is retried; any other 4xx is GitHub's final word. */
  private static void sortFailures(String operation, HttpResponse<String> answer) {
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    Optional<String> retryAfter = answer.headers().firstValue("Retry-After");
    boolean rateLimited = status == 429
        || (status == 403 && (retryAfter.isPresent() || "0".equals(answer.headers().firstValue("X-RateLimit-Remaining").orElse(null))));
    if (rateLimited) {
      throw new RetryAfterException("GitHub rate-limited the " + operation + " call (" + status + ")",
          RetryAfterException.parse(retryAfter.orElse(null)));
    }
    if (status >= 500) {
      throw new GitHubUnavailableException("GitHub answered the " + operation + " call with " + status);
    }
    throw new GitHubRefusedException(status, "GitHub refused the " + operation + " call (" + status + "): "
        + messageOf(answer.body()));
  }

  private static String messageOf(String body) {
    try {
      JsonNode error = new ObjectMapper().readTree(body);
      String message = error.path("message").asText("");
      return message.isBlank() ? "no message" : message.length() > 300 ? message.substring(0, 300) + "…" : message;
    } catch (IOException | RuntimeException unreadable) {
      return "no readable message";
    }
  }
}
