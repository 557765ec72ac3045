package io.greenlight.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** One approver asked on one channel: an entry of {@code notified}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Notification(String user, String channel, Instant at, String status) {}
