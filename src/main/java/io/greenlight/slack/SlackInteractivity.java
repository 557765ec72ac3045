package io.greenlight.slack;

import static io.greenlight.approval.Notification.SLACK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.answer.Answer;
import io.greenlight.answer.Answer.Action;
import io.greenlight.answer.Answer.Answerer;
import io.greenlight.answer.Answer.RequestRef;
import io.greenlight.answer.Answering;
import io.greenlight.answer.Outcome;
import io.greenlight.answer.OutcomeWords;
import io.greenlight.answer.Refusal;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalView;
import io.greenlight.web.ApiError;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /slack/interactivity}: what Slack posts when an approver clicks Approve or Reject in Greenlight's message,
 * or submits the reason for a rejection. Every request must carry a valid Slack signature from the last five minutes;
 * otherwise 401 and nothing changes ({@link SlackWebhookCheck}). The clicker is known by their Slack member id in the directory, and their answer
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

  private final SlackChannel slack;
  private final Answering answering;
  private final ApprovalRequests approvals;
  /** Replies to people, sent after Slack has had its answer; a few at once, the oldest dropped when Slack is slow. */
  private final ThreadPoolExecutor replies = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(200), new ThreadPoolExecutor.DiscardOldestPolicy());

  SlackInteractivity(SlackChannel slack, Answering answering, ApprovalRequests approvals) {
    this.slack = slack;
    this.answering = answering;
    this.approvals = approvals;
  }

  /** What Slack posts: one form field. */
  record SlackForm(@Schema(description = "Slack's interaction payload, JSON (block_actions or view_submission)",
      requiredMode = Schema.RequiredMode.REQUIRED) String payload) {}

  @PreDestroy
  void stop() {
    replies.shutdown();
  }

  @Operation(operationId = "slackInteractivity", summary = "Slack's interactivity request URL: Approve, Reject and Escalate clicks, the reason modal",
      description = "Form field `payload` (JSON) as Slack posts it. A missing, wrong or stale X-Slack-Signature / "
          + "X-Slack-Request-Timestamp answers 401 and changes nothing; a payload from another workspace than the bot "
          + "token's (team.id) answers 403.",
      security = @SecurityRequirement(name = "slackSignature"),
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE, schema = @Schema(implementation = SlackForm.class))),
      responses = {
          @ApiResponse(responseCode = "200", description = "Taken: empty, or for a reason Greenlight refused "
              + "{\"response_action\": \"errors\", \"errors\": {\"reason\": \"…\"}}, which Slack shows in the form"),
          @ApiResponse(responseCode = "400", description = "No payload, or not Slack's JSON with user.id",
              content = @Content(schema = @Schema(implementation = ApiError.class))),
          @ApiResponse(responseCode = "401", description = "Missing, wrong or stale signature",
              content = @Content(schema = @Schema(implementation = ApiError.class))),
          @ApiResponse(responseCode = "403", description = "From another Slack workspace",
              content = @Content(schema = @Schema(implementation = ApiError.class)))})
  @PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<?> interact(HttpServletRequest request) throws IOException {
    // Signed by Slack and from its own workspace: SlackWebhookCheck saw to that before this was called.
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
    Action wanted = switch (actionId) {
      case SlackMessages.APPROVE -> Action.APPROVE;
      case SlackMessages.REJECT -> Action.REJECT;
      case SlackMessages.ESCALATE -> Action.ESCALATE;
      default -> null; // the build link: Slack opens it, nothing to record
    };
    if (wanted == null) {
      return;
    }
    String requestId = action.path("value").asText();
    if (!REQUEST_ID.matcher(requestId).matches()) {
      reply(memberId, "That button names no request Greenlight knows; nothing was recorded.");
      return;
    }
    Answer answer = new Answer(Answerer.slack(memberId), RequestRef.id(requestId), wanted, null, SLACK);
    if (wanted == Action.REJECT || wanted == Action.APPROVE && answering.approvalNeedsReason(answer)) {
      askForTheReason(payload.path("trigger_id").asText(), answer, memberId);
    } else {
      reply(memberId, render(answering.take(answer)));
    }
  }

  /**
   * The modal must be opened now: Slack's trigger is good for three seconds, once. Someone whose rejection would be
   * refused whatever the reason is told so instead of being asked for one.
   */
  private void askForTheReason(String triggerId, Answer answer, String memberId) {
    Optional<Refusal> refusal = answering.refusalBeforeReason(answer);
    if (refusal.isPresent()) {
      reply(memberId, refusal.get().message());
      return;
    }
    String requestId = answer.request().id();
    ApprovalView approval = approvals.find(requestId).orElseThrow();
    try {
      slack.askForTheReason(triggerId, requestId, what(approval), answer.action() == Action.APPROVE);
    } catch (RuntimeException failed) {
      log.warn("Could not open the reject form in Slack for request {}: {}", requestId, failed.getMessage());
      reply(memberId, "Slack could not open the form for your reason; nothing was recorded. Try again, or reject in "
          + "Tasklist.");
    }
  }

  private ResponseEntity<?> submitted(JsonNode payload, String memberId) {
    JsonNode view = payload.path("view");
    String callbackId = view.path("callback_id").asText();
    if (!SlackMessages.REJECT_VIEW.equals(callbackId) && !SlackMessages.BREAK_GLASS_VIEW.equals(callbackId)) {
      return ResponseEntity.ok().build();
    }
    Action action = SlackMessages.BREAK_GLASS_VIEW.equals(callbackId) ? Action.APPROVE : Action.REJECT;
    String requestId = view.path("private_metadata").asText();
    String reason = view.path("state").path("values").path(SlackMessages.REASON).path(SlackMessages.REASON).path("value").textValue();
    if (!REQUEST_ID.matcher(requestId).matches()) {
      return formError("This form names no request Greenlight knows; nothing was recorded.");
    }
    Outcome outcome = answering.take(new Answer(Answerer.slack(memberId), RequestRef.id(requestId), action, reason, SLACK));
    if (outcome instanceof Outcome.Refused refused) {
      // Shown under the reason, the form kept open: a missing reason can be written, a late one is told who decided.
      return formError(refused.refusal().message());
    }
    reply(memberId, render(outcome));
    return ResponseEntity.ok().build();
  }

  private static String render(Outcome outcome) {
    return OutcomeWords.of(outcome, SlackInteractivity::what);
  }

  private static String what(ApprovalView approval) {
    return approval.projectSlug() + (approval.branch() == null ? "" : " " + approval.branch());
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
