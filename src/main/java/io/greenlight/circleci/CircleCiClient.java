package io.greenlight.circleci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.metrics.GreenlightMetrics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.http.impl.client.HttpClients;
import org.camunda.connect.ConnectorRequestException;
import org.camunda.connect.httpclient.HttpRequest;
import org.camunda.connect.httpclient.HttpResponse;
import org.camunda.connect.httpclient.impl.HttpConnectorImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * CircleCI API v2 through camunda-connect's HTTP connector. Delegates call it; the token is passed per
 * call and never stored in a process variable. Errors are sorted for the engine: a
 * {@link RetryAfterException} for 429, a {@link CircleCiUnavailableException} (retried) for what may
 * pass, a {@link CircleCiRefusedException} for what never will.
 */
@Component
public class CircleCiClient {

  private static final Logger log = LoggerFactory.getLogger(CircleCiClient.class);
  /** A guard against a server that hands out page tokens forever. */
  private static final int MOST_PAGES = 100;

  private final String baseUrl;
  private final HttpConnectorImpl connector;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final ObjectMapper json = new ObjectMapper();

  public CircleCiClient(CircleCiProperties properties) {
    this.baseUrl = properties.baseUrl();
    this.connectTimeoutMillis = (int) properties.connectTimeout().toMillis();
    this.readTimeoutMillis = (int) properties.readTimeout().toMillis();
    this.connector = new HttpConnectorImpl();
    connector.setHttpClient(HttpClients.custom()
        .useSystemProperties()
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .build());
  }

  /** All jobs of a workflow, every page. An unknown workflow (404) gives an empty list. */
  public List<CircleCiJob> listWorkflowJobs(String workflowId, String token) {
    List<CircleCiJob> jobs = new ArrayList<>();
    Set<String> pageTokensSeen = new HashSet<>();
    String pageToken = null;
    for (int page = 0; page < MOST_PAGES; page++) {
      String url = baseUrl + "/workflow/" + encode(workflowId) + "/job"
          + (pageToken == null ? "" : "?page-token=" + encode(pageToken));
      HttpResponse response = send(connector.createRequest().get().url(url), "list_jobs", token, "list jobs of workflow " + workflowId);
      try {
        if (response.getStatusCode() == 404) {
          return List.of();
        }
        JobPage body = parse(response, JobPage.class);
        if (body.items() != null) {
          jobs.addAll(body.items());
        }
        pageToken = body.nextPageToken();
        if (pageToken == null || pageToken.isBlank() || !pageTokensSeen.add(pageToken)) {
          return jobs;
        }
      } finally {
        response.close();
      }
    }
    throw new CircleCiUnavailableException("CircleCI returned more than " + MOST_PAGES + " pages of jobs for workflow " + workflowId);
  }

  /**
   * Who triggered the workflow's pipeline and what it builds: {@code GET /workflow/{id}}, then
   * {@code GET /pipeline/{pipeline_id}}. Empty when CircleCI does not know the workflow or its pipeline (404).
   */
  public Optional<PipelineFacts> pipelineOf(String workflowId, String token) {
    return read(baseUrl + "/workflow/" + encode(workflowId), Workflow.class, "get_workflow", token, "read workflow " + workflowId)
        .map(Workflow::pipelineId).filter(pipelineId -> !pipelineId.isBlank())
        .flatMap(pipelineId -> read(baseUrl + "/pipeline/" + encode(pipelineId), Pipeline.class, "get_pipeline", token,
            "read pipeline " + pipelineId))
        .map(pipeline -> new PipelineFacts(
            pipeline.trigger() == null || pipeline.trigger().actor() == null ? null : pipeline.trigger().actor().login(),
            pipeline.vcs() == null ? null : pipeline.vcs().branch(),
            pipeline.vcs() == null ? null : pipeline.vcs().revision()));
  }

  /** {@code GET url} as {@code type}; empty when CircleCI does not know it (404). */
  private <T> Optional<T> read(String url, Class<T> type, String operation, String token, String what) {
    HttpResponse response = send(connector.createRequest().get().url(url), operation, token, what);
    try {
      return response.getStatusCode() == 404 ? Optional.empty() : Optional.of(parse(response, type));
    } finally {
      response.close();
    }
  }

  /** {@code POST /workflow/{id}/approve/{approval_request_id}}, no body. */
  public CircleCiAnswer approve(String workflowId, String approvalRequestId, String token) {
    String url = baseUrl + "/workflow/" + encode(workflowId) + "/approve/" + encode(approvalRequestId);
    return post(url, "approve", token, "approve job " + approvalRequestId + " of workflow " + workflowId);
  }

  /** {@code POST /workflow/{id}/cancel}, no body. */
  public CircleCiAnswer cancel(String workflowId, String token) {
    return post(baseUrl + "/workflow/" + encode(workflowId) + "/cancel", "cancel", token, "cancel workflow " + workflowId);
  }

  private CircleCiAnswer post(String url, String operation, String token, String what) {
    HttpResponse response = send(connector.createRequest().post().url(url), operation, token, what);
    try {
      if (response.getStatusCode() == 404) {
        throw new CircleCiRefusedException(404, "CircleCI could not " + what + ": " + messageOf(response));
      }
      return new CircleCiAnswer(response.getStatusCode(), parse(response, Message.class).message());
    } finally {
      response.close();
    }
  }

  private HttpResponse send(HttpRequest request, String operation, String token, String what) {
    if (token == null || token.isBlank()) {
      throw new CircleCiUnavailableException("No CircleCI token is configured (greenlight.circleci.token): cannot " + what);
    }
    request.header("Circle-Token", token).header("Accept", "application/json")
        // Per request: the connector gives every request a configuration of its own, which overrides the client's.
        .configOption("connection-timeout", connectTimeoutMillis)
        .configOption("connection-request-timeout", connectTimeoutMillis)
        .configOption("socket-timeout", readTimeoutMillis);
    HttpResponse response;
    long started = System.nanoTime();
    try {
      response = request.execute();
    } catch (ConnectorRequestException e) {
      GreenlightMetrics.circleCiCall(operation, GreenlightMetrics.UNREACHABLE, Duration.ofNanos(System.nanoTime() - started));
      throw new CircleCiUnavailableException("CircleCI did not answer to " + what + ": " + rootMessage(e), e);
    }
    int status = response.getStatusCode();
    GreenlightMetrics.circleCiCall(operation, GreenlightMetrics.outcomeOf(status), Duration.ofNanos(System.nanoTime() - started));
    log.debug("CircleCI {} -> {}", what, status);
    if (status >= 200 && status < 300 || status == 404) {
      return response;
    }
    String message = messageOf(response);
    String retryAfter = header(response, "Retry-After");
    response.close();
    if (status == 429) {
      throw new RetryAfterException("CircleCI rate-limited " + what, RetryAfterException.parse(retryAfter));
    }
    if (status == 401 || status == 403) {
      throw new CircleCiTokenRefusedException(status, "CircleCI refused the token (" + status + ") to " + what + ": " + message);
    }
    if (status >= 500 || status == 408) {
      throw new CircleCiUnavailableException("CircleCI answered " + status + " to " + what + ": " + message);
    }
    throw new CircleCiRefusedException(status, "CircleCI answered " + status + " to " + what + ": " + message);
  }

  /** Header names are case-insensitive; the connector's map is not. */
  private static String header(HttpResponse response, String name) {
    return response.getHeaders() == null ? null : response.getHeaders().entrySet().stream()
        .filter(header -> name.equalsIgnoreCase(header.getKey())).map(java.util.Map.Entry::getValue).findFirst().orElse(null);
  }

  private <T> T parse(HttpResponse response, Class<T> type) {
    String body = response.getResponse();
    try {
      return json.readValue(body == null || body.isBlank() ? "{}" : body, type);
    } catch (JsonProcessingException e) {
      throw new CircleCiUnavailableException("CircleCI answered " + response.getStatusCode() + " with a body that is not the JSON its API describes");
    }
  }

  private String messageOf(HttpResponse response) {
    try {
      String message = parse(response, Message.class).message();
      if (message != null) {
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
      }
    } catch (CircleCiUnavailableException ignored) {
      // not JSON: say nothing of the body
    }
    return "(no message)";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static String encode(String pathPart) {
    return URLEncoder.encode(pathPart, StandardCharsets.UTF_8);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record JobPage(List<CircleCiJob> items, @JsonProperty("next_page_token") String nextPageToken) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Message(String message) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Workflow(@JsonProperty("pipeline_id") String pipelineId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Pipeline(Trigger trigger, Vcs vcs) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Trigger(Actor actor) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Actor(String login) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Vcs(String branch, String revision) {}
  }
}
