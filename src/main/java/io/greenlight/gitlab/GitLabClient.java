package io.greenlight.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.metrics.GreenlightMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GitLab's REST API v4 as the bot uses it for deployment approvals ({@code src/test/resources/contracts/gitlab-deployments.md}):
 * the blocked deployment of a pipeline, its approvals, the approval itself, playing the deploy job and cancelling the
 * pipeline. The token goes as {@code PRIVATE-TOKEN} to the configured GitLab only, and never into a URL. Errors are
 * sorted for the engine: {@link RetryAfterException} for a rate limit (429: {@code Retry-After}, else
 * {@code RateLimit-ResetTime}), {@link GitLabUnavailableException} (retried) for 5xx, timeouts and a refused token,
 * {@link GitLabRefusedException} for GitLab's own refusals, with its words.
 */
public class GitLabClient {

  /** The metric of calls to GitLab, by operation and outcome. */
  public static final String CALLS = "greenlight.gitlab.calls";
  /** GitLab's largest page. */
  private static final int PAGE_SIZE = 100;
  /** A GitLab project's full path: groups, subgroups and the project, as GitLab spells them (never dots alone). */
  static final Pattern PROJECT_PATH = Pattern.compile("(?!\\.+/)[A-Za-z0-9_.-]{1,100}(/(?!\\.+(/|$))[A-Za-z0-9_.-]{1,100}){1,20}");

  private final GitLabProperties properties;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  GitLabClient(GitLabProperties properties) {
    this.properties = properties;
    this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public boolean configured() {
    return properties.configured();
  }

  /** The deploy job of a pipeline, blocked until its environment's approval rules are met. */
  public record BlockedDeployment(long id, long jobId, long pipelineId, String username, String ref, String sha,
                                  String pipelineUrl) {}

  /** One approval or rejection given on a deployment: by whom, which, and its comment. */
  public record Approval(String username, String status, String comment) {}

  /**
   * The blocked deployment of {@code pipelineId} to {@code environment}: every page of the project's blocked deployments
   * to it, newest first, until GitLab says there is no next page; empty while the pipeline has not reached its deploy job.
   */
  public Optional<BlockedDeployment> blockedDeployment(String projectPath, String environment, long pipelineId) {
    String url = project(projectPath) + "/deployments?environment=" + encoded(environment)
        + "&status=blocked&order_by=id&sort=desc&per_page=" + PAGE_SIZE + "&page=";
    for (int page = 1; page <= 1000; page++) {
      HttpResponse<String> answer = send("deployments", get(url + page));
      sortFailures("deployments", answer);
      JsonNode deployments = readJson("deployments", answer);
      for (JsonNode deployment : deployments) {
        JsonNode job = deployment.path("deployable");
        if (job.path("pipeline").path("id").asLong(-1) == pipelineId) {
          return Optional.of(new BlockedDeployment(deployment.path("id").asLong(), job.path("id").asLong(), pipelineId,
              text(deployment.path("user").path("username")), text(deployment.path("ref")), text(deployment.path("sha")),
              text(job.path("pipeline").path("web_url"))));
        }
      }
      String next = answer.headers().firstValue("X-Next-Page").orElse("");
      if (next.isBlank() || deployments.isEmpty()) {
        return Optional.empty();
      }
    }
    throw new GitLabUnavailableException("GitLab lists more than 1000 pages of blocked deployments to " + environment);
  }

  /** The approvals given on a deployment (Premium and Ultimate show them). */
  public List<Approval> approvals(String projectPath, long deploymentId) {
    HttpResponse<String> answer = send("deployment", get(project(projectPath) + "/deployments/" + deploymentId));
    sortFailures("deployment", answer);
    List<Approval> approvals = new ArrayList<>();
    readJson("deployment", answer).path("approvals").forEach(approval -> approvals.add(new Approval(
        text(approval.path("user").path("username")), text(approval.path("status")), text(approval.path("comment")))));
    return approvals;
  }

  /** Approves or rejects ({@code status}) the deployment as the bot, with {@code comment} (at most 255 characters). */
  public int approval(String projectPath, long deploymentId, String status, String comment) {
    String form = "status=" + encoded(status) + "&comment=" + encoded(comment);
    HttpResponse<String> answer = send("approval", request(project(projectPath) + "/deployments/" + deploymentId + "/approval")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    sortFailures("approval", answer);
    return answer.statusCode();
  }

  /** Runs a manual job (an approved deploy job waits for this). */
  public int play(String projectPath, long jobId) {
    HttpResponse<String> answer = send("play", request(project(projectPath) + "/jobs/" + jobId + "/play")
        .POST(HttpRequest.BodyPublishers.noBody()));
    sortFailures("play", answer);
    return answer.statusCode();
  }

  /** A job's status ({@code manual}, {@code pending}, {@code running}, {@code success}, {@code failed}, …). */
  public String jobStatus(String projectPath, long jobId) {
    HttpResponse<String> answer = send("job", get(project(projectPath) + "/jobs/" + jobId));
    sortFailures("job", answer);
    return text(readJson("job", answer).path("status"));
  }

  /** Cancels what still runs or waits to run in a pipeline (GitLab answers 200 whatever its state). */
  public int cancelPipeline(String projectPath, long pipelineId) {
    HttpResponse<String> answer = send("cancel", request(project(projectPath) + "/pipelines/" + pipelineId + "/cancel")
        .POST(HttpRequest.BodyPublishers.noBody()));
    sortFailures("cancel", answer);
    return answer.statusCode();
  }

  /** The project's API root, its full path encoded once ({@code acme%2Fshop}): GitLab matches no other spelling. */
  private String project(String projectPath) {
    if (projectPath == null || !PROJECT_PATH.matcher(projectPath).matches()) {
      throw new GitLabRefusedException(400, "project", "'" + projectPath + "' is not a GitLab project path; Greenlight "
          + "sends the bot's token nowhere else");
    }
    return properties.apiUrl() + "/projects/" + encoded(projectPath);
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder get(String url) {
    return request(url).GET();
  }

  private HttpRequest.Builder request(String url) {
    if (!properties.configured()) {
      throw new GitLabUnavailableException("GitLab is not configured (greenlight.gitlab.token): nothing can be sent to GitLab");
    }
    return HttpRequest.newBuilder(URI.create(url)).header("PRIVATE-TOKEN", properties.token().trim());
  }

  private HttpResponse<String> send(String operation, HttpRequest.Builder request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> answer = http.send(request.timeout(properties.readTimeout())
          .header("Accept", "application/json")
          .header("User-Agent", "Greenlight")
          .build(), HttpResponse.BodyHandlers.ofString());
      GreenlightMetrics.call(CALLS, "Calls to GitLab's API", operation, GreenlightMetrics.outcomeOf(answer.statusCode()),
          Duration.ofNanos(System.nanoTime() - started));
      return answer;
    } catch (IOException unreachable) {
      GreenlightMetrics.call(CALLS, "Calls to GitLab's API", operation, GreenlightMetrics.UNREACHABLE,
          Duration.ofNanos(System.nanoTime() - started));
      throw new GitLabUnavailableException("GitLab could not be reached (" + unreachable.getClass().getSimpleName() + ")",
          unreachable);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new GitLabUnavailableException("Interrupted while calling GitLab", interrupted);
    }
  }

  /**
   * 2xx passes; a rate limit waits as GitLab asks; 5xx and a refused token (401: a setting to fix, then retried) are
   * retried; any other 4xx is GitLab's word, kept.
   */
  private void sortFailures(String operation, HttpResponse<String> answer) {
    int status = answer.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 429) {
      throw new RetryAfterException("GitLab rate-limited the " + operation + " call (429)", retryAfter(answer));
    }
    if (status >= 500) {
      throw new GitLabUnavailableException("GitLab answered the " + operation + " call with " + status);
    }
    if (status == 401) {
      throw new GitLabUnavailableException("GitLab did not take the token (401): check greenlight.gitlab.token");
    }
    throw new GitLabRefusedException(status, operation, messageOf(answer.body()));
  }

  /** {@code Retry-After} when GitLab sends it, else its {@code RateLimit-ResetTime} (an HTTP date), else a minute. */
  private static Duration retryAfter(HttpResponse<String> answer) {
    return RetryAfterException.parse(answer.headers().firstValue("Retry-After")
        .or(() -> answer.headers().firstValue("RateLimit-ResetTime")).orElse(null));
  }

  private JsonNode readJson(String operation, HttpResponse<String> answer) {
    try {
      return json.readTree(answer.body());
    } catch (IOException unreadable) {
      throw new GitLabUnavailableException("GitLab's " + operation + " answer is unreadable", unreadable);
    }
  }

  /** GitLab's words: {@code message} (a text, or a list of them), else {@code error}; shortened. */
  private String messageOf(String body) {
    try {
      JsonNode error = json.readTree(body);
      JsonNode message = error.has("message") ? error.get("message") : error.path("error");
      String words = message.isArray()
          ? String.join("; ", json.convertValue(message, String[].class)) : message.asText("");
      return words.isBlank() ? "no message" : words.length() > 300 ? words.substring(0, 300) + "…" : words;
    } catch (IOException | RuntimeException unreadable) {
      return "no readable message";
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
