package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One approver's answer: an entry of {@code decisions}. {@code authorsUnchecked}: an approval that could not be checked
 * against the authors of the change, because the change was not known (absent otherwise).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Decision(String user, String decision, String channel, String comment, Instant at,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Boolean authorsUnchecked) {

  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";

  public Decision(String user, String decision, String channel, String comment, Instant at) {
    this(user, decision, channel, comment, at, null);
  }
}
