package io.greenlight.approval;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code ${deadline.after(routing.expireAfter)}} in the model: the instant an ISO-8601 duration from now,
 * on the engine's clock (which tests move). A request must end well within the history's retention, which is counted
 * from when it was made: one still pending when its retention runs out would lose its record.
 */
@Component("deadline")
public class Deadline {

  private final Duration retention;

  public Deadline(@Value("${greenlight.history.retention:P400D}") Duration retention) {
    this.retention = retention;
  }

  public Date after(String isoDuration) {
    Duration duration = parse(isoDuration);
    if (duration.compareTo(retention.dividedBy(2)) > 0) {
      throw new IllegalArgumentException("An expiry of " + isoDuration + " is more than half the history retention ("
          + retention.toDays() + " days, greenlight.history.retention), which counts from when a request is made: its "
          + "record would be removed soon after it ended, or while it waited; shorten the expiry in the routing table or "
          + "lengthen the retention");
    }
    return new Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis());
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
