package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * What a request is doing now ({@code stage} in the API), so a client that sees {@code PENDING} also sees why an answer
 * may have to wait: {@code finding_gate} (looking the gate up in CircleCI), {@code asking} (routing, choosing and
 * notifying approvers; answers are waited for), {@code waiting} (for answers), {@code carrying_out} (the answers are in,
 * or the deadline passed, or nobody can approve: CircleCI is being told), {@code ended}.
 */
public enum Stage {
  FINDING_GATE, ASKING, WAITING, CARRYING_OUT, ENDED;

  @JsonValue
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param running whether the process instance still runs
   * @param status the recorded outcome, once the request's handling ended
   * @param gateFound whether the gate's {@code approval_request_id} is known
   * @param taskOpen whether "Decide on deployment" is open
   * @param decided whether the answers recorded decide it
   * @param failed whether a failure reason is recorded (nobody can approve, CircleCI refused)
   * @param expiresAt the deadline, once routed
   */
  public static Stage of(boolean running, String status, boolean gateFound, boolean taskOpen, boolean decided,
                         boolean failed, Instant expiresAt, Instant now) {
    if (!running || status != null) {
      return ENDED;
    }
    if (decided || failed || (expiresAt != null && !expiresAt.isAfter(now))) {
      return CARRYING_OUT;
    }
    if (!gateFound) {
      return FINDING_GATE;
    }
    return taskOpen ? WAITING : ASKING;
  }
}
