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

  /** Delivery reports may come out of order; a status never goes back to an earlier stage. */
  private static final java.util.List<java.util.Set<String>> STAGES = java.util.List.of(
      java.util.Set.of("queued", "accepted", "logged"), java.util.Set.of("sending"), java.util.Set.of("sent"),
      java.util.Set.of("delivered", "undelivered", "failed", "canceled"), java.util.Set.of("read"));

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
