package io.greenlight.slack;

import static io.greenlight.approval.Notification.SLACK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.approval.GateKinds;
import io.greenlight.approval.Answers;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Decision;
import io.greenlight.decision.Decisions;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.web.ApiError;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /slack/interactivity}: what Slack posts when an approver clicks Approve or Reject in Greenlight's message,
 * or submits the reason for a rejection. Every request must carry a valid Slack signature from the last five minutes;
 * otherwise 401 and nothing changes. The clicker is known by their Slack member id in the directory, and their answer
 * goes through the same rules as every other channel's. Slack waits three seconds for the answer, so the reply to the
 * person (recorded, or why not) is sent in a message of its own after answering.
 */
@RestController
@Tag(name = "Slack")
class SlackInteractivity {

  static final String PATH = "/slack/interactivity";
  private static final Logger log = LoggerFactory.getLogger(SlackInteractivity.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REQUEST_ID = Pattern.compile(Formats.UUID);

  private final SlackSignatures signatures;
  private final SlackChannel slack;
  private final Directory directory;
  private final Decisions decisions;
  private final ApprovalRequests approvals;
  /** Replies to people, sent after Slack has had its answer; a few at once, the oldest dropped when Slack is slow. */
  private final ThreadPoolExecutor replies = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(200), new ThreadPoolExecutor.DiscardOldestPolicy());

  SlackInteractivity(SlackProperties settings, SlackChannel slack, Directory directory, Decisions decisions,
                     ApprovalRequests approvals) {
    this.signatures = new SlackSignatures(settings.signingSecret(), Clock.systemUTC());
    this.slack = slack;
    this.directory = directory;
    this.decisions = decisions;
    this.approvals = approvals;
  }

  /** What Slack posts: one form field. */
  record SlackForm(@Schema(description = "Slack's interaction payload, JSON (block_actions or view_submission)",
      requiredMode = Schema.RequiredMode.REQUIRED) String payload) {}

  @PreDestroy
  void stop() {
    replies.shutdown();
  }

  @Operation(operationId = "slackInteractivity", summary = "Slack's interactivity request URL: Approve and Reject clicks, the reason modal",
      description = "Form field `payload` (JSON) as Slack posts it. A missing, wrong or stale X-Slack-Signature / "
          + "X-Slack-Request-Timestamp answers 401 and changes nothing.",
      security = @SecurityRequirement(name = "slackSignature"),
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE, schema = @Schema(implementation = SlackForm.class))),
      responses = {
          @ApiResponse(responseCode = "200", description = "Taken: empty, or for a reason Greenlight refused "
              + "{\"response_action\": \"errors\", \"errors\": {\"reason\": \"…\"}}, which Slack shows in the form"),
          @ApiResponse(responseCode = "400", description = "No payload, or not Slack's JSON with user.id",
              content = @Content(schema = @Schema(implementation = ApiError.class))),
          @ApiResponse(responseCode = "401", description = "Missing, wrong or stale signature",
              content = @Content(schema = @Schema(implementation = ApiError.class)))})
  @PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<?> interact(HttpServletRequest request) throws IOException {
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!signatures.valid(request.getHeader(SlackSignatures.TIMESTAMP), request.getHeader(SlackSignatures.SIGNATURE), body)) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(new ApiError("invalid_signature",
          "Missing, wrong or stale X-Slack-Signature; nothing was changed.", null));
    }
    JsonNode payload = payload(body);
    String memberId = payload == null ? null : payload.path("user").path("id").textValue();
    if (payload == null || memberId == null) {
      return ResponseEntity.badRequest().body(new ApiError("invalid_payload",
          "The form field payload must be Slack's JSON with user.id; nothing was changed.", null));
    }
    return switch (payload.path("type").asText()) {
      case "block_actions" -> {
        clicked(payload, memberId);
        yield ResponseEntity.ok().build();
      }
      case "view_submission" -> submitted(payload, memberId);
      default -> ResponseEntity.ok().build(); // view_closed and the like: nothing to do
    };
  }

  private void clicked(JsonNode payload, String memberId) {
    JsonNode action = payload.path("actions").path(0);
    String actionId = action.path("action_id").asText();
    if (!SlackMessages.APPROVE.equals(actionId) && !SlackMessages.REJECT.equals(actionId)) {
      return; // the build link: Slack opens it, nothing to record
    }
    String requestId = action.path("value").asText();
    Optional<DirectoryFile.User> person = directory.userWithSlackId(memberId);
    if (person.isEmpty()) {
      reply(memberId, unknownPerson(memberId));
      return;
    }
    if (!REQUEST_ID.matcher(requestId).matches()) {
      reply(memberId, "That button names no request Greenlight knows; nothing was recorded.");
      return;
    }
    if (SlackMessages.APPROVE.equals(actionId)) {
      reply(memberId, decide(requestId, person.get().id(), Decision.APPROVE, null));
    } else {
      askForTheReason(payload.path("trigger_id").asText(), requestId, person.get().id(), memberId);
    }
  }

  /** The modal must be opened now: Slack's trigger is good for three seconds, once. */
  private void askForTheReason(String triggerId, String requestId, String userId, String memberId) {
    Optional<ApprovalView> approval = approvals.find(requestId);
    if (approval.isEmpty()) {
      reply(memberId, "That request is not known to Greenlight; nothing was recorded.");
      return;
    }
    Optional<String> closed = Decisions.alreadyClosed(approval.get());
    if (closed.isPresent()) {
      reply(memberId, what(approval.get()) + ": " + closed.get() + " Nothing was recorded.");
      return;
    }
    if (!decisions.mayAnswer(requestId, userId)) {
      reply(memberId, "You are not an approver of " + what(approval.get()) + "; nothing was recorded.");
      return;
    }
    try {
      slack.askForTheReason(triggerId, requestId, what(approval.get()));
    } catch (RuntimeException failed) {
      log.warn("Could not open the reject form in Slack for request {}: {}", requestId, failed.getMessage());
      reply(memberId, "Slack could not open the form for your reason; nothing was recorded. Try again, or reject in "
          + "Tasklist or by SMS: REJECT " + approval.get().code() + " <reason>.");
    }
  }

  private ResponseEntity<?> submitted(JsonNode payload, String memberId) {
    JsonNode view = payload.path("view");
    if (!SlackMessages.REJECT_VIEW.equals(view.path("callback_id").asText())) {
      return ResponseEntity.ok().build();
    }
    String requestId = view.path("private_metadata").asText();
    String reason = view.path("state").path("values").path(SlackMessages.REASON).path(SlackMessages.REASON).path("value").textValue();
    Optional<DirectoryFile.User> person = directory.userWithSlackId(memberId);
    if (person.isEmpty()) {
      return formError(unknownPerson(memberId));
    }
    if (!REQUEST_ID.matcher(requestId).matches()) {
      return formError("This form names no request Greenlight knows; nothing was recorded.");
    }
    try {
      ApprovalView decided = decisions.decide(requestId, person.get().id(), Decision.REJECT, reason, SLACK);
      reply(memberId, "Recorded: you rejected " + what(decided) + ". " + GateKinds.willBeStopped(decided.gate()));
      return ResponseEntity.ok().build();
    } catch (ApiException refused) {
      // Shown under the reason, the form kept open: a missing reason can be written, a late one is told who decided.
      return formError(refused.getMessage() + " Nothing was recorded.");
    }
  }

  private String decide(String requestId, String userId, String decision, String comment) {
    try {
      ApprovalView decided = decisions.decide(requestId, userId, decision, comment, SLACK);
      int missing = Answers.missingApprovals(decided.decisions(), decided.requiredApprovals());
      return "Recorded: you approved " + what(decided) + "."
          + (missing == 0 ? " " + GateKinds.systemName(decided.gate()) + " will be told." : " " + missing + " more approval" + (missing == 1 ? " is" : "s are") + " needed.");
    } catch (ApiException refused) {
      return refused.getMessage() + " Nothing was recorded.";
    }
  }

  private static String what(ApprovalView approval) {
    return approval.projectSlug() + (approval.branch() == null ? "" : " " + approval.branch());
  }

  private static String unknownPerson(String memberId) {
    return "Greenlight does not know your Slack account, so nothing was recorded. Ask an admin to add slack: "
        + memberId + " to your entry in the directory.";
  }

  private static ResponseEntity<Map<String, Object>> formError(String message) {
    return ResponseEntity.ok(Map.of("response_action", "errors", "errors", Map.of(SlackMessages.REASON, message)));
  }

  private void reply(String memberId, String text) {
    replies.execute(() -> {
      try {
        slack.answer(memberId, text);
      } catch (RuntimeException failed) {
        log.warn("Could not answer Slack member {}: {} (what they would have read: {})", memberId, failed.getMessage(), text);
      }
    });
  }

  private static JsonNode payload(String body) {
    for (String pair : body.split("&")) {
      if (pair.startsWith("payload=")) {
        try {
          JsonNode payload = JSON.readTree(URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8));
          return payload != null && payload.isObject() ? payload : null;
        } catch (IOException | IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
