package io.greenlight.voice;

import static io.greenlight.approval.ApprovalVariables.TO_ASK;
import static io.greenlight.twilio.TwilioWebhookErrors.badRequest;
import static io.greenlight.twilio.TwilioWebhookErrors.forbidden;

import io.greenlight.approval.GateKinds;
import io.greenlight.approval.Answers;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Decision;
import io.greenlight.approval.Notification;
import io.greenlight.approval.PublicLinks;
import io.greenlight.decision.Decisions;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.notify.DeliveryReports;
import io.greenlight.notify.Escalations;
import io.greenlight.twilio.TwilioSignatures;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.RuntimeService;
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
  private static final Pattern REQUEST_ID = Pattern.compile(Formats.UUID);
  private static final Pattern CALL_SID = Pattern.compile("^CA[0-9a-fA-F]{32}$");
  private static final int LONGEST_USER_ID = 128;

  private final TwilioSignatures signatures;
  private final Directory directory;
  private final Decisions decisions;
  private final ApprovalRequests approvals;
  private final Escalations escalations;
  private final DeliveryReports reports;
  private final RuntimeService runtime;
  private final PublicLinks links;

  VoiceWebhooks(TwilioSignatures signatures, Directory directory, Decisions decisions, ApprovalRequests approvals,
                Escalations escalations, DeliveryReports reports, RuntimeService runtime, PublicLinks links) {
    this.signatures = signatures;
    this.directory = directory;
    this.decisions = decisions;
    this.approvals = approvals;
    this.escalations = escalations;
    this.reports = reports;
    this.runtime = runtime;
    this.links = links;
  }

  @Operation(operationId = "twilioVoiceGather", summary = "Twilio's <Gather> action: the key an approver pressed on Greenlight's call",
      description = "Digits 1 approves, 2 rejects (\"rejected by phone\"), 3 escalates; anything else, or nothing, asks once "
          + "more, then the call ends. Answers TwiML. A missing or wrong X-Twilio-Signature answers 403 and changes nothing.",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = CallScript.GATHER_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> gather(HttpServletRequest request,
                                @RequestParam(name = "request", required = false) String requestId,
                                @RequestParam(name = "user", required = false) String userId,
                                @RequestParam(name = CallScript.ATTEMPT, required = false) String attempt,
                                @RequestParam(name = "Digits", required = false) String digits) {
    if (!signatures.valid(request)) {
      return forbidden();
    }
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches() || userId == null || userId.isBlank()
        || userId.length() > LONGEST_USER_ID) {
      return badRequest("request (a request id) and user are required");
    }
    Optional<DirectoryFile.User> person = directory.user(userId);
    if (person.isEmpty()) {
      return twiml(CallScript.sayAndHangUp("Greenlight does not know you any more, so nothing was recorded. Goodbye."));
    }
    Optional<ApprovalView> approval = approvals.find(requestId);
    if (approval.isEmpty()) {
      return twiml(CallScript.sayAndHangUp("Greenlight does not know this request; nothing was recorded. Goodbye."));
    }
    String key = digits == null ? "" : digits.trim();
    return twiml(switch (key) {
      case CallScript.APPROVE_KEY -> decide(requestId, userId, Decision.APPROVE, null);
      case CallScript.REJECT_KEY -> decide(requestId, userId, Decision.REJECT, REJECTED_BY_PHONE);
      case CallScript.ESCALATE_KEY -> escalate(requestId, userId);
      default -> {
        if ("2".equals(attempt)) {
          yield CallScript.sayAndHangUp("No answer was recorded. Goodbye.");
        }
        ApprovalView asked = approval.get();
        yield CallScript.askAgain(CallScript.request(GateKinds.project(asked.gate(), asked.projectSlug(), asked.approvalJob()), asked.branch(), asked.commit(), asked.requestedBy()),
            CallScript.gatherUrl(links.of(""), requestId, userId),
            key.isEmpty() ? "No key was pressed." : "The key " + key + " means nothing here.");
      }
    });
  }

  /** How a call ended: it lands in the request's {@code notified} entry of that call; a call nobody took counts as not reached. */
  @Operation(operationId = "twilioVoiceStatus", summary = "Twilio's status callback of Greenlight's calls",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = CallScript.STATUS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> status(HttpServletRequest request,
                                @RequestParam(name = "request", required = false) String requestId,
                                @RequestParam(name = "CallSid", required = false) String callSid,
                                @RequestParam(name = "CallStatus", required = false) String status) {
    if (!signatures.valid(request)) {
      return forbidden();
    }
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches() || callSid == null || !CALL_SID.matcher(callSid).matches()
        || status == null || !STATUSES.contains(status)) {
      return badRequest("request (a request id), CallSid and a known CallStatus are required");
    }
    reports.record(requestId, Notification.callVariable(callSid), status,
        NOT_REACHED.contains(status) ? "the call ended " + status : null, NOT_REACHED.contains(status));
    return ResponseEntity.noContent().build();
  }

  private String decide(String requestId, String userId, String decision, String comment) {
    try {
      ApprovalView decided = decisions.decide(requestId, userId, decision, comment, Notification.VOICE);
      if (Decision.REJECT.equals(decision)) {
        return CallScript.sayAndHangUp("Recorded: you rejected " + what(decided) + ". " + GateKinds.willBeStopped(decided.gate())
            + " Goodbye.");
      }
      int missing = Answers.missingApprovals(decided.decisions(), decided.requiredApprovals());
      return CallScript.sayAndHangUp("Recorded: you approved " + what(decided) + "."
          + (missing == 0 ? " " + GateKinds.systemName(decided.gate()) + " will be told." : " " + missing + " more approval" + (missing == 1 ? " is" : "s are") + " needed.")
          + " Goodbye.");
    } catch (ApiException refused) {
      return CallScript.sayAndHangUp(refused.getMessage() + " Nothing was recorded. Goodbye.");
    }
  }

  /** Only someone who may answer the request may have it escalated. */
  private String escalate(String requestId, String userId) {
    if (!decisions.mayAnswer(requestId, userId)) {
      return CallScript.sayAndHangUp("You are not an approver of this request; nothing was changed. Goodbye.");
    }
    if (!escalations.escalateNow(requestId)) {
      return CallScript.sayAndHangUp("Everyone has been asked already; nothing was changed. Goodbye.");
    }
    String newlyAsked = (String) runtime.getVariable(requestId, TO_ASK);
    return CallScript.sayAndHangUp(newlyAsked == null || newlyAsked.isBlank()
        ? "Escalated, but there is nobody more to ask; the request stays open until its deadline. Goodbye."
        : "Escalated: " + newlyAsked.replace(",", ", ") + (newlyAsked.contains(",") ? " are" : " is") + " being asked. Goodbye.");
  }

  private static String what(ApprovalView approval) {
    return approval.projectSlug() + (approval.branch() == null ? "" : ", branch " + approval.branch());
  }

  private static ResponseEntity<String> twiml(String xml) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(xml);
  }
}
