package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One approver asked on one channel: an entry of {@code notified}. {@code reference} is the provider's id
 * of the message (Twilio's MessageSid); {@code detail} says why a message failed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String user, String channel, Instant at, String status, String reference, String detail) {

  public static final String SMS = "sms";
  public static final String EMAIL = "email";

  public Notification withStatus(String newStatus, String newDetail) {
    return new Notification(user, channel, at, newStatus, reference, newDetail == null ? detail : newDetail);
  }
}
