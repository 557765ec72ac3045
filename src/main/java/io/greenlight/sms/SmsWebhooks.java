package io.greenlight.sms;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import io.greenlight.approval.Notification;
import io.greenlight.notify.DeliveryReports;
import static io.greenlight.twilio.TwilioWebhookErrors.badRequest;
import io.greenlight.web.DatabaseLink;
import io.greenlight.web.DatabaseUnavailable;
import io.greenlight.web.Formats;
import java.util.Set;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks: an approver's SMS reply ({@code /twilio/sms}, answered with TwiML) and delivery status
 * reports ({@code /twilio/status}). Both must carry a valid {@code X-Twilio-Signature}; otherwise 403 and
 * nothing changes ({@code twilio.TwilioWebhookCheck}, before this is called).
 */
@RestController
@Tag(name = "Twilio webhooks")
class SmsWebhooks {

  static final String SMS_PATH = "/twilio/sms";
  static final String STATUS_PATH = "/twilio/status";
  /** Every status Twilio gives a message (its Message resource's {@code status}). */
  private static final Set<String> STATUSES = Set.of("queued", "accepted", "scheduled", "sending", "sent", "delivered",
      "undelivered", "failed", "read", "canceled", "receiving", "received", "partially_delivered");
  private static final Set<String> NOT_REACHED = Set.of("undelivered", "failed");
  private static final int MOST_PHONE_CHARACTERS = 64;

  /**
   * The reply when the database could not be reached: nothing was recorded, and the approver hears so within seconds
   * (Twilio gives up on a webhook after 15 s, and the approver would then hear nothing).
   */
  static final String NOT_RECORDED = "Greenlight could not record your answer just now. Please send it again in a few minutes.";
  private final SmsReplies replies;
  private final DeliveryReports reports;
  private final DatabaseLink database;

  SmsWebhooks(SmsReplies replies, DeliveryReports reports, DatabaseLink database) {
    this.replies = replies;
    this.reports = reports;
    this.database = database;
  }

  @Operation(operationId = "twilioInboundSms", summary = "Twilio's inbound-message webhook: an approver's SMS reply",
      description = "Answers TwiML with one reply message. A missing or wrong X-Twilio-Signature answers 403 and changes nothing. "
          + "When the database cannot be reached, the reply asks the approver to send the answer again.",
      security = @SecurityRequirement(name = "twilioSignature"))
  @PostMapping(path = SMS_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<String> reply(@RequestParam(name = "From") @Size(max = MOST_PHONE_CHARACTERS) String from,
                               @RequestParam(name = "Body", required = false) String body,
                               @RequestParam(name = "MessageSid") @Pattern(regexp = Formats.MESSAGE_SID, message = "must be Twilio's message id") String messageSid) {
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
  ResponseEntity<String> status(@RequestParam(name = "request") @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String requestId,
                                @RequestParam(name = "MessageSid") @Pattern(regexp = Formats.MESSAGE_SID, message = "must be Twilio's message id") String messageSid,
                                @RequestParam(name = "MessageStatus") String status,
                                @RequestParam(name = "ErrorCode", required = false) @Pattern(regexp = "^[0-9]{0,10}$", message = "must be Twilio's numeric error code") String errorCode) {
    if (!STATUSES.contains(status)) {
      return badRequest("MessageStatus must be one of Twilio's message statuses");
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
