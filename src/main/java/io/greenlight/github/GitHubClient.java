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
import java.util.ArrayList;
import java.util.List;
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
 * {@link GitHubRefusedException} for what never will. Tokens never leave this class. It also compares two commits of a
 * repository the App is installed on, for the change a request deploys.
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
  /** An owner or repository name as GitHub spells it, never dots alone: the path GitHub acts on is the one built. */
  private static final Pattern NAME = Pattern.compile("(?!\\.+$)[A-Za-z0-9_.-]{1,100}");
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{7,64}");
  /** GitHub's largest page. */
  private static final int PAGE_SIZE = 100;
  /**
   * How many commits of a range are read for their authors and committers: pages past GitHub's 250 are, as its paged
   * comparison allows. A longer range's authors are incomplete (and its newest page is read for the list).
   */
  public static final int MOST_COMMITS_READ = 1000;

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
    GitHubAppKey key = appKey.orElseThrow(GitHubClient::notConfigured);
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

  /**
   * The id of the App's installation on {@code owner/repo}, asked with the App's JWT; empty when the App is not
   * installed there (404). GitHub refusing the JWT itself (401, 403) is a setting an admin must fix, as for
   * {@link #installationToken}: retried, then an incident.
   */
  public Optional<Long> installationFor(String owner, String repo) {
    checkRepository(owner, repo);
    GitHubAppKey key = appKey.orElseThrow(GitHubClient::notConfigured);
    HttpResponse<String> answer = send("installation", HttpRequest.newBuilder(
            URI.create(properties.baseUrl() + "/repos/" + owner + "/" + repo + "/installation"))
        .header("Authorization", "Bearer " + key.jwt(ClockUtil.getCurrentTime().toInstant()))
        .GET());
    if (answer.statusCode() == 404) {
      return Optional.empty();
    }
    try {
      sortFailures("installation", answer);
    } catch (GitHubRefusedException refused) {
      if (refused.statusCode() == 401 || refused.statusCode() == 403) {
        throw new GitHubUnavailableException(refused.getMessage() + " (check greenlight.github.app-id and private-key, and "
            + "this machine's clock)");
      }
      throw refused;
    }
    JsonNode id = readJson("installation", answer).path("id");
    if (!id.isIntegralNumber()) {
      throw new GitHubUnavailableException("GitHub's installation answer holds no id");
    }
    return Optional.of(id.asLong());
  }

  /**
   * GitHub's compare of {@code base...head} in {@code owner/repo}, with the installation's token: every page of the
   * commit list (100 a page) until a short page or {@link #MOST_COMMITS_READ} commits, and then the last page when the
   * range is longer. A commit GitHub does not know (404,
   * e.g. a base rewritten away by a force push) is a {@link GitHubRefusedException}: no retry will change it.
   */
  public Comparison compare(String owner, String repo, String base, String head, long installationId) {
    checkRepository(owner, repo);
    if (base == null || head == null || !COMMIT_ID.matcher(base).matches() || !COMMIT_ID.matcher(head).matches()) {
      throw new GitHubRefusedException(400, "Greenlight compares commit ids only, not '" + base + "' and '" + head + "'");
    }
    String token = installationToken(installationId);
    String url = properties.baseUrl() + "/repos/" + owner + "/" + repo + "/compare/" + base + "..." + head;
    List<Comparison.Commit> commits = new ArrayList<>();
    int total = 0;
    String htmlUrl = null;
    for (int page = 1; ; page++) {
      JsonNode comparison = comparePage(url, page, token, installationId);
      if (page == 1) {
        total = comparison.path("total_commits").asInt(0);
        htmlUrl = comparison.path("html_url").asText(null);
      }
      JsonNode listed = comparison.path("commits");
      listed.forEach(commit -> commits.add(commitOf(commit)));
      if (listed.size() < PAGE_SIZE || commits.size() >= Math.min(total, MOST_COMMITS_READ)) {
        break;
      }
    }
    List<Comparison.Commit> newest = new ArrayList<>();
    if (total > commits.size()) {
      // Paged oldest first: the newest commits are on the last page.
      comparePage(url, (total + PAGE_SIZE - 1) / PAGE_SIZE, token, installationId).path("commits")
          .forEach(commit -> newest.add(commitOf(commit)));
    }
    return new Comparison(total, List.copyOf(commits), List.copyOf(newest), htmlUrl);
  }

  private JsonNode comparePage(String url, int page, String token, long installationId) {
    HttpResponse<String> answer = send("compare", HttpRequest.newBuilder(
            URI.create(url + "?per_page=" + PAGE_SIZE + "&page=" + page))
        .header("Authorization", "Bearer " + token)
        .GET());
    if (answer.statusCode() == 401) {
      // Revoked or expired early: the retry asks for a new token.
      tokens.remove(installationId);
      throw new GitHubUnavailableException("GitHub did not take the installation token (401); a new one is asked for on retry");
    }
    sortFailures("compare", answer);
    return readJson("compare", answer);
  }

  private static Comparison.Commit commitOf(JsonNode commit) {
    String message = commit.at("/commit/message").asText("");
    int lineEnd = message.indexOf('\n');
    String authorName = commit.at("/commit/author/name").asText("");
    return new Comparison.Commit(commit.path("sha").asText(null), login(commit.path("author")),
        authorName.isBlank() ? null : authorName, login(commit.path("committer")),
        (lineEnd < 0 ? message : message.substring(0, lineEnd)).strip());
  }

  /** A GitHub user's login; null for a commit whose e-mail matches no account (GitHub sends null or {}). */
  private static String login(JsonNode user) {
    String login = user.path("login").asText("");
    return login.isBlank() ? null : login;
  }

  private static void checkRepository(String owner, String repo) {
    if (owner == null || repo == null || !NAME.matcher(owner).matches() || !NAME.matcher(repo).matches()) {
      throw new GitHubRefusedException(400, "'" + owner + "/" + repo + "' is not a GitHub repository name; Greenlight sends "
          + "the App's tokens nowhere else");
    }
  }

  private static GitHubUnavailableException notConfigured() {
    return new GitHubUnavailableException(
        "The GitHub App is not configured (greenlight.github.app-id, private-key, webhook-secret): nothing can be sent to GitHub");
  }

  private JsonNode readJson(String operation, HttpResponse<String> answer) {
    try {
      return json.readTree(answer.body());
    } catch (IOException unreadable) {
      throw new GitHubUnavailableException("GitHub's " + operation + " answer is unreadable", unreadable);
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
