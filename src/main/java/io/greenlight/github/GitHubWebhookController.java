package io.greenlight.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static io.greenlight.approval.ApprovalVariables.BUILD_URL;
import static io.greenlight.approval.ApprovalVariables.GITHUB_CALLBACK_URL;
import static io.greenlight.approval.ApprovalVariables.GITHUB_DELIVERY;
import static io.greenlight.approval.ApprovalVariables.GITHUB_DEPLOYMENT_ID;
import static io.greenlight.approval.ApprovalVariables.GITHUB_INSTALLATION_ID;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.NamedGate;
import io.greenlight.approval.SignedRequests;
import io.greenlight.approval.SignedRequests.SignedRequest;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import io.greenlight.web.SafeText;
import io.greenlight.web.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /github/webhook}: Greenlight's GitHub App receives {@code deployment_protection_rule} events here. The
 * signature is checked before anything else is read ({@link GitHubWebhookCheck}); a {@code requested} rule starts a
 * request ({@link SignedRequests}), anything else is acknowledged and left alone. The run is the request's workflow,
 * the environment its gate's name, so one run's environment is one gate.
 */
@RestController
@Tag(name = "CI pipelines")
class GitHubWebhookController {

  static final String EVENT = "deployment_protection_rule";
  private static final Logger log = LoggerFactory.getLogger(GitHubWebhookController.class);
  private static final Pattern RUN_ID = Pattern.compile("/actions/runs/([0-9]{1,20})/deployment_protection_rule$");
  private static final Pattern SHA = Pattern.compile("^[0-9a-fA-F]{7,64}$");
  private static final Pattern DELIVERY = Pattern.compile("^[A-Za-z0-9-]{1,64}$");

  private final SignedRequests requests;
  private final GitHubProperties settings;
  private final GitHubClient github;
  private final ObjectMapper json = new ObjectMapper();

  GitHubWebhookController(SignedRequests requests, GitHubProperties settings, GitHubClient github) {
    this.requests = requests;
    this.settings = settings;
    this.github = github;
  }

  @ApiResponse(responseCode = "201", description = "A new request for the run's environment",
      content = @Content(schema = @Schema(implementation = ApprovalView.class)))
  @ApiResponse(responseCode = "200", description = "The same delivery again, or the same gate while pending: the existing "
      + "request; or another event, acknowledged and ignored ({\"ignored\": \"…\"})",
      content = @Content(schema = @Schema(implementation = ApprovalView.class)))
  @ApiResponse(responseCode = "400", description = "A payload without what a request needs (invalid_webhook, with field)",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(responseCode = "401", description = "X-Hub-Signature-256 missing or wrong: nothing started",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @ApiResponse(responseCode = "404", description = "GitHub gates are off (no App configured)",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  @Operation(operationId = "receiveGitHubWebhook", summary = "The GitHub App's webhook (deployment_protection_rule)",
      description = "Signed by GitHub with the App's webhook secret (X-Hub-Signature-256). A deployment_protection_rule "
          + "event with action requested starts a request for project gh/{owner}/{repo}, requested by the sender's login; "
          + "its outcome is sent to the event's deployment_callback_url. Other events are answered 200 and ignored.")
  @PostMapping(path = "/github/webhook", produces = "application/json")
  ResponseEntity<?> receive(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "GitHub's payload, as GitHub sends it "
          + "(deployment_protection_rule: action, environment, event, sha, ref, deployment_callback_url, deployment, "
          + "repository, installation, sender, …)", content = @Content(mediaType = "application/json",
          schema = @Schema(type = "object")))
      @RequestBody(required = false) byte[] body,
      @Parameter(description = "sha256= and the hex HMAC-SHA256 of the raw body with the App's webhook secret")
      @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature,
      @Parameter(description = "deployment_protection_rule starts requests; any other event is ignored")
      @RequestHeader(name = "X-GitHub-Event", required = false) String event,
      @Parameter(description = "GitHub's id of the delivery: the same one twice starts nothing new")
      @RequestHeader(name = "X-GitHub-Delivery", required = false) String delivery) {
    if (!github.configured()) {
      throw new ApiException(HttpStatus.NOT_FOUND, "github_off", null,
          "GitHub gates are off here: set greenlight.github.app-id, private-key and webhook-secret (docs/github.md).");
    }
    // Signed with the App's webhook secret: github.GitHubWebhookCheck saw to that before this was called.
    byte[] received = body == null ? new byte[0] : body;
    if (!EVENT.equals(event)) {
      return ignored(event == null ? "an event without X-GitHub-Event" : SafeText.cleaned(event, 100));
    }
    JsonNode payload = parse(received);
    String action = payload.path("action").asText("");
    if (!"requested".equals(action)) {
      return ignored(event + " (" + SafeText.cleaned(action, 100) + ")");
    }
    if (delivery == null || !DELIVERY.matcher(delivery).matches()) {
      throw invalid("X-GitHub-Delivery", "must be GitHub's delivery id (a GUID)");
    }
    SignedRequest request = requestOf(payload, delivery);
    SignedRequests.Started outcome = requests.request(request);
    // GitHub keeps its deliveries' answers for the App's owners to read: no SMS code there, as for any reader who may
    // not answer with it.
    ApprovalView approval = outcome.approval().withoutCode();
    if (outcome.created()) {
      log.info("GitHub delivery {}: request {} for {} run {} environment '{}'", delivery, approval.id(),
          request.projectSlug(), request.gate().workflowId(), request.gate().gateName());
      return ResponseEntity.created(URI.create("/api/approvals/" + approval.id())).body(approval);
    }
    return ResponseEntity.ok(approval);
  }

  /**
   * The request the payload asks for: {@code gh/{owner}/{repo}}, the run and environment; requested by the GitHub login
   * of who deploys (the webhook's sender, else the deployment's creator), for the ref without {@code refs/heads/}; known
   * again by the delivery id, or the deployment id under another delivery id (the header is not signed, the body is).
   */
  private SignedRequest requestOf(JsonNode payload, String delivery) {
    String repository = payload.at("/repository/full_name").asText("");
    String projectSlug = "gh/" + repository;
    if (!projectSlug.matches(Formats.PROJECT_SLUG)) {
      throw invalid("repository.full_name", "must be owner/name");
    }
    String environment = SafeText.cleaned(payload.path("environment").asText(null), 255);
    if (environment == null || environment.isBlank()) {
      throw invalid("environment", "is required");
    }
    String callbackUrl = payload.path("deployment_callback_url").asText(null);
    if (!github.isCallbackOnThisGitHub(callbackUrl)) {
      throw invalid("deployment_callback_url", "must be a deployment protection rule review on " + settings.baseUrl());
    }
    if (!github.isCallbackFor(callbackUrl, repository)) {
      // Signed, but the installation's token would review another repository's run than the event is about.
      throw invalid("deployment_callback_url", "must be a review of a run of repository.full_name (" + repository + ")");
    }
    Matcher run = RUN_ID.matcher(callbackUrl);
    if (!run.find()) {
      throw invalid("deployment_callback_url", "must name the run");
    }
    long installationId = payload.at("/installation/id").asLong(0);
    if (installationId <= 0) {
      throw invalid("installation.id", "is required: the App's installation that reviews the rule");
    }
    String login = firstPresent(payload.at("/sender/login").asText(null), payload.at("/deployment/creator/login").asText(null));
    if (login == null) {
      throw invalid("sender.login", "is required: who deploys (the requester may not approve)");
    }
    String sha = firstPresent(payload.path("sha").asText(null), payload.at("/deployment/sha").asText(null));
    String ref = firstPresent(payload.path("ref").asText(null), payload.at("/deployment/ref").asText(null));
    String htmlUrl = payload.at("/repository/html_url").asText("");
    String runUrl = htmlUrl.matches(SafeText.HTTP_URL) ? htmlUrl + "/actions/runs/" + run.group(1) : null;
    JsonNode deployment = payload.at("/deployment/id");
    Long deploymentId = deployment.canConvertToLong() ? deployment.asLong() : null;
    String event = SafeText.cleaned(payload.path("event").asText(null), 100);
    Map<String, Object> variables = new HashMap<>();
    variables.put(GITHUB_CALLBACK_URL, callbackUrl);
    variables.put(GITHUB_INSTALLATION_ID, installationId);
    variables.put(GITHUB_DEPLOYMENT_ID, deploymentId);
    variables.put(GITHUB_DELIVERY, delivery);
    // GitHub's signed word, with the run's page on GitHub.
    variables.put(BUILD_URL, runUrl);
    Map<String, Object> startedBy = new LinkedHashMap<>();
    startedBy.put(GITHUB_DELIVERY, delivery);
    if (deploymentId != null) {
      startedBy.put(GITHUB_DEPLOYMENT_ID, deploymentId);
    }
    return new SignedRequest(GitHubGateKind.ID, projectSlug, new NamedGate(run.group(1), environment, variables),
        SafeText.cleaned(login, 100), ref == null ? null : SafeText.cleaned(ref.replaceFirst("^refs/heads/", ""), 255),
        sha != null && SHA.matcher(sha).matches() ? sha.toLowerCase() : null,
        "GitHub Actions: deploy to " + environment + (event == null ? "" : " (" + event + ")"), startedBy);
  }

  private static ResponseEntity<Map<String, String>> ignored(String what) {
    return ResponseEntity.ok(Map.of("ignored",
        "Greenlight acts on deployment_protection_rule events with action requested; this was " + what + "."));
  }

  private JsonNode parse(byte[] body) {
    try {
      JsonNode payload = json.readTree(body);
      if (payload == null || !payload.isObject()) {
        throw invalid("body", "must be GitHub's JSON payload (content type application/json)");
      }
      return payload;
    } catch (IOException unreadable) {
      throw invalid("body", "must be GitHub's JSON payload (content type application/json)");
    }
  }

  private static String firstPresent(String first, String second) {
    return first != null && !first.isBlank() ? first : second != null && !second.isBlank() ? second : null;
  }

  private static ApiException invalid(String field, String problem) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_webhook", field, field + " " + problem + ". Nothing was started.");
  }
}
