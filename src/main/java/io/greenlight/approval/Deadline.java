package io.greenlight.approval;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * {@code ${deadline.after(routing.expireAfter)}} in the model: the instant an ISO-8601 duration from now,
 * on the engine's clock (which tests move).
 */
@Component("deadline")
public class Deadline {

  public Date after(String isoDuration) {
    return new Date(ClockUtil.getCurrentTime().getTime() + parse(isoDuration).toMillis());
  }

  /** {@code ${deadline.checked(routing.escalateAfter)}}: the duration as given, once it is known to be one. */
  public String checked(String isoDuration) {
    parse(isoDuration);
    return isoDuration;
  }

  private static Duration parse(String isoDuration) {
    Duration duration;
    try {
      duration = Duration.parse(isoDuration);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("'" + isoDuration + "' is not an ISO-8601 duration such as PT3H", e);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + isoDuration + "' is not a positive duration");
    }
    return duration;
  }
}
