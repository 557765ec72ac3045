package io.greenlight.voice;

import static io.greenlight.twilio.TwilioWebhookErrors.badRequest;

import io.greenlight.answer.Answer;
import io.greenlight.answer.Answer.Action;
import io.greenlight.answer.Answer.Answerer;
import io.greenlight.answer.Answer.RequestRef;
import io.greenlight.answer.Answering;
import io.greenlight.answer.Outcome;
import io.greenlight.answer.OutcomeWords;
import io.greenlight.answer.Refusals;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Notification;
import io.greenlight.approval.PublicLinks;
import io.greenlight.notify.DeliveryReports;
import io.greenlight.web.DatabaseLink;
import io.greenlight.web.DatabaseUnavailable;
import io.greenlight.web.Formats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;
import java.util.Set;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's requests about the calls Greenlight makes: the key the approver pressed ({@code /twilio/voice/gather},
 * answered with TwiML, what the call says next) and how a call ended ({@code /twilio/voice/status}). Both must carry a
 * valid {@code X-Twilio-Signature} over the URL with its query string, which names the request and the person called;
 * otherwise 403 and nothing changes. Answers go through the same rules as every other channel's.
 */
@RestController
@Tag(name = "Twilio webhooks")
class VoiceWebhooks {

  /** What a key-press rejection says, as the reason a rejection needs. */
  static final String REJECTED_BY_PHONE = "rejected by phone";
  private static final Set<String> STATUSES = Set.of("queued", "initiated", "ringing", "in-progress", "completed", "busy",
      "failed", "no-answer", "canceled");
  /** A call that ended so: the person was not reached. */
  private static final Set<String> NOT_REACHED = Set.of("busy", "failed", "no-answer", "canceled");
  private static final String CALL_SID = "^CA[0-9a-fA-F]{32}$";

  /** What a call says when nothing could be recorded because the database could not be reached. */
  static final String NOT_RECORDED = "Greenlight could not record your answer just now; nothing was recorded. "
      + "Please answer again in a few minutes, by SMS or in Tasklist. Goodbye.";

  private final Answering answering;
  private final ApprovalRequests approvals;
  private final DeliveryReports reports;
  private final PublicLinks links;
  private final DatabaseLink database;

  VoiceWebhooks(Answering answering, ApprovalRequests approvals, DeliveryReports reports, PublicLinks links,
                DatabaseLink database) {
    this.database = database;
    this.answering = answering;
    this.approvals = approvals;
    this.reports = reports;
    this.links = links;
  }

  @Operation(operationId = "twilioVoiceGather", summary = "Twilio's <Gather> action: the key an approver pressed on Greenlight's call",
      description = "Digits 1 approves, 2 rejects (\"rejected by phone\"), 3 escalates; anything else, or nothing, asks once "
          + "more, then the call ends. Answers TwiML. A missing or wrong X-Twilio-Signature answers 403 and changes nothing.",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = CallScript.GATHER_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> gather(@RequestParam(name = "request") @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String requestId,
                                @RequestParam(name = "user") @Pattern(regexp = Formats.DIRECTORY_ID, message = "must be a directory user id") String userId,
                                @RequestParam(name = CallScript.ATTEMPT, required = false) String attempt,
                                @RequestParam(name = "Digits", required = false) String digits) {
    String key = digits == null ? "" : digits.trim();
    Action action = switch (key) {
      case CallScript.APPROVE_KEY -> Action.APPROVE;
      case CallScript.REJECT_KEY -> Action.REJECT;
      case CallScript.ESCALATE_KEY -> Action.ESCALATE;
      default -> null;
    };
    if (action != null) {
      if (!database.isUp()) {
        return twiml(CallScript.sayAndHangUp(NOT_RECORDED));
      }
      try {
        Outcome outcome = answering.take(new Answer(Answerer.user(userId), RequestRef.id(requestId), action,
            action == Action.REJECT ? REJECTED_BY_PHONE : null, Notification.VOICE));
        // A key cannot carry the reason a break-glass approval needs: the text message can.
        boolean reasonNeeded = outcome instanceof Outcome.Refused refused
            && Refusals.COMMENT_REQUIRED.equals(refused.refusal().code()) && action == Action.APPROVE;
        return twiml(CallScript.sayAndHangUp(OutcomeWords.of(outcome, VoiceWebhooks::what)
            + (reasonNeeded ? " Approve by text message instead: APPROVE, the code, and your reason." : "") + " Goodbye."));
      } catch (RuntimeException failed) {
        if (DatabaseUnavailable.causedBy(failed)) {
          database.suspect("A key pressed on a call", failed);
          return twiml(CallScript.sayAndHangUp(NOT_RECORDED));
        }
        throw failed;
      }
    }
    Optional<ApprovalView> approval = approvals.find(requestId);
    if ("2".equals(attempt) || approval.isEmpty()) {
      return twiml(CallScript.sayAndHangUp("No answer was recorded. Goodbye."));
    }
    ApprovalView asked = approval.get();
    return twiml(CallScript.askAgain(CallScript.request(asked.gate().project(asked.projectSlug(), asked.approvalJob()),
            asked.branch(), asked.commit(), asked.requestedBy()),
        CallScript.gatherUrl(links.of(""), requestId, userId),
        key.isEmpty() ? "No key was pressed." : "The key " + key + " means nothing here."));
  }

  /** How a call ended: it lands in the request's {@code notified} entry of that call; a call nobody took counts as not reached. */
  @Operation(operationId = "twilioVoiceStatus", summary = "Twilio's status callback of Greenlight's calls",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = CallScript.STATUS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> status(@RequestParam(name = "request") @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String requestId,
                                @RequestParam(name = "CallSid") @Pattern(regexp = CALL_SID, message = "must be Twilio's call id") String callSid,
                                @RequestParam(name = "CallStatus") String status) {
    if (!STATUSES.contains(status)) {
      return badRequest("CallStatus must be one of Twilio's call statuses");
    }
    reports.record(requestId, Notification.callVariable(callSid), status,
        NOT_REACHED.contains(status) ? "the call ended " + status : null, NOT_REACHED.contains(status));
    return ResponseEntity.noContent().build();
  }

  private static String what(ApprovalView approval) {
    return approval.projectSlug() + (approval.branch() == null ? "" : ", branch " + approval.branch());
  }

  private static ResponseEntity<String> twiml(String xml) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(xml);
  }
}
