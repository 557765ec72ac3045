package io.greenlight.slack;

/** Slack refused a call for a reason of the call itself (no such user, message gone): sending again will not help. */
public class SlackRefusedException extends RuntimeException {

  private final String error;

  public SlackRefusedException(String method, String error) {
    super("Slack refused " + method + ": " + error);
    this.error = error;
  }

  /** Slack's error code, such as {@code user_not_found}. */
  public String error() {
    return error;
  }
}
