package io.greenlight.circleci;

/**
 * CircleCI refused the token itself (401, 403). With the service token an admin must fix the setting, so the job
 * is retried and ends as an incident; with an approver's own token the call falls back to the service token.
 */
public class CircleCiTokenRefusedException extends CircleCiUnavailableException {
  private final int statusCode;

  public CircleCiTokenRefusedException(int statusCode, String message) {
    super(message);
    this.statusCode = statusCode;
  }

  public int statusCode() {
    return statusCode;
  }
}
