package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One approver asked on one channel: an entry of {@code notified}. {@code reference} is the provider's id
 * of the message (Twilio's MessageSid); {@code detail} says why a message failed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String user, String channel, Instant at, String status, String reference, String detail) {

  public static final String SMS = "sms";
  public static final String EMAIL = "email";
  public static final String SLACK = "slack";
  public static final String VOICE = "voice";

  /**
   * Every message is a variable of its own ({@code notified:sms:<MessageSid>}, {@code notified:email:<user>:<time>}): the
   * jobs that send and the delivery reports that come back never write the same variable, so neither can make the other
   * fail and send twice. The API shows them together as {@code notified}.
   */
  private static final String PREFIX = ApprovalVariables.NOTIFIED + ":";

  /** Delivery reports (and a call's progress) may come out of order; a status never goes back to an earlier stage. */
  private static final List<Set<String>> STAGES = List.of(
      Set.of("queued", "accepted", "logged"), Set.of("sending", "initiated", "ringing"), Set.of("sent", "in-progress"),
      Set.of("delivered", "undelivered", "failed", "canceled", "completed", "busy", "no-answer"), Set.of("read"));

  /** The variable of the SMS Twilio knows by this MessageSid. */
  public static String smsVariable(String messageSid) {
    return PREFIX + SMS + ":" + messageSid;
  }

  /** The variable of the phone call Twilio knows by this CallSid. */
  public static String callVariable(String callSid) {
    return PREFIX + VOICE + ":" + callSid;
  }

  /** The variable this notification is kept in: by Twilio's id of the message or call, whose reports name it. */
  public String variableName() {
    if (reference != null && SMS.equals(channel)) {
      return smsVariable(reference);
    }
    return reference != null && VOICE.equals(channel)
        ? callVariable(reference)
        : PREFIX + channel + ":" + user + ":" + at.toEpochMilli();
  }

  /** Every notification among a request's variables (name → typed value), oldest first. */
  public static List<Notification> allIn(Map<String, Object> variables) {
    return variables.entrySet().stream()
        .filter(variable -> variable.getKey().startsWith(PREFIX))
        .map(variable -> JsonVariables.<Notification>read(variable.getValue(), Notification.class))
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(Notification::at).thenComparing(Notification::user).thenComparing(Notification::channel))
        .toList();
  }

  public Notification withStatus(String newStatus, String newDetail) {
    if (stage(newStatus) < stage(status)) {
      return this;
    }
    return new Notification(user, channel, at, newStatus, reference, newDetail == null ? detail : newDetail);
  }

  private static int stage(String status) {
    for (int stage = 0; stage < STAGES.size(); stage++) {
      if (STAGES.get(stage).contains(status)) {
        return stage;
      }
    }
    return 0;
  }
}
