package io.greenlight.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/** One approver's answer: an entry of {@code decisions}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Decision(String user, String decision, String channel, String comment, Instant at) {

  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";
}
