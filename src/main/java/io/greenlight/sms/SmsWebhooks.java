package io.greenlight.sms;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import io.greenlight.approval.Notification;
import io.greenlight.notify.DeliveryReports;
import io.greenlight.twilio.TwilioSignatures;
import static io.greenlight.twilio.TwilioWebhookErrors.badRequest;
import static io.greenlight.twilio.TwilioWebhookErrors.forbidden;
import jakarta.servlet.http.HttpServletRequest;
import io.greenlight.web.DatabaseLink;
import io.greenlight.web.DatabaseUnavailable;
import io.greenlight.web.Formats;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks: an approver's SMS reply ({@code /twilio/sms}, answered with TwiML) and delivery status
 * reports ({@code /twilio/status}). Both must carry a valid {@code X-Twilio-Signature}; otherwise 403 and
 * nothing changes.
 */
@RestController
@Tag(name = "Twilio webhooks")
class SmsWebhooks {

  static final String SMS_PATH = "/twilio/sms";
  static final String STATUS_PATH = "/twilio/status";
  private static final Set<String> STATUSES = Set.of("queued", "accepted", "sending", "sent", "delivered", "undelivered", "failed", "read", "canceled");
  private static final Set<String> NOT_REACHED = Set.of("undelivered", "failed");
  private static final Pattern MESSAGE_SID = Pattern.compile(Formats.MESSAGE_SID);
  private static final Pattern REQUEST_ID = Pattern.compile(Formats.UUID);
  private static final Pattern ERROR_CODE = Pattern.compile("^[0-9]{0,10}$");
  private static final int MOST_PHONE_CHARACTERS = 64;

  /**
   * The reply when the database could not be reached: nothing was recorded, and the approver hears so within seconds
   * (Twilio gives up on a webhook after 15 s, and the approver would then hear nothing).
   */
  static final String NOT_RECORDED = "Greenlight could not record your answer just now. Please send it again in a few minutes.";

  private final TwilioSignatures signatures;
  private final SmsReplies replies;
  private final DeliveryReports reports;
  private final DatabaseLink database;

  SmsWebhooks(TwilioSignatures signatures, SmsReplies replies, DeliveryReports reports, DatabaseLink database) {
    this.signatures = signatures;
    this.replies = replies;
    this.reports = reports;
    this.database = database;
  }

  @Operation(operationId = "twilioInboundSms", summary = "Twilio's inbound-message webhook: an approver's SMS reply",
      description = "Answers TwiML with one reply message. A missing or wrong X-Twilio-Signature answers 403 and changes nothing. "
          + "When the database cannot be reached, the reply asks the approver to send the answer again.",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = SMS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> reply(HttpServletRequest request,
                               @RequestParam(name = "From", required = false) String from,
                               @RequestParam(name = "Body", required = false) String body,
                               @RequestParam(name = "MessageSid", required = false) String messageSid) {
    if (!signatures.valid(request)) {
      return forbidden();
    }
    if (from == null || from.length() > MOST_PHONE_CHARACTERS || messageSid == null || !MESSAGE_SID.matcher(messageSid).matches()) {
      return badRequest("From and MessageSid (Twilio's message id) are required");
    }
    if (!database.isUp()) {
      return twiml(NOT_RECORDED);
    }
    try {
      return twiml(replies.answer(from, body, messageSid));
    } catch (RuntimeException e) {
      if (DatabaseUnavailable.causedBy(e)) {
        database.suspect("An SMS reply", e);
        return twiml(NOT_RECORDED);
      }
      throw e;
    }
  }

  /** Delivery reports: the status lands in the request's {@code notified} entry of that message. */
  @Operation(operationId = "twilioStatus", summary = "Twilio's delivery status callback",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = STATUS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> status(HttpServletRequest request,
                                @RequestParam(name = "request", required = false) String requestId,
                                @RequestParam(name = "MessageSid", required = false) String messageSid,
                                @RequestParam(name = "MessageStatus", required = false) String status,
                                @RequestParam(name = "ErrorCode", required = false) String errorCode) {
    if (!signatures.valid(request)) {
      return forbidden();
    }
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches() || messageSid == null || !MESSAGE_SID.matcher(messageSid).matches()
        || status == null || !STATUSES.contains(status) || errorCode != null && !ERROR_CODE.matcher(errorCode).matches()) {
      return badRequest("request (a request id), MessageSid, a known MessageStatus and a numeric ErrorCode are required");
    }
    String detail = errorCode == null || errorCode.isBlank() ? null : "Twilio error " + errorCode;
    reports.record(requestId, Notification.smsVariable(messageSid), status, detail, NOT_REACHED.contains(status));
    return ResponseEntity.noContent().build();
  }

  static ResponseEntity<String> twiml(String text) {
    String xml = new MessagingResponse.Builder().message(new Message.Builder().body(new Body.Builder(text).build()).build())
        .build().toXml();
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(xml);
  }
}
