package io.greenlight.circleci;

/**
 * CircleCI could not be reached or answered with an error that may pass (5xx, a refused token that an
 * admin can fix). The job fails, the engine retries it on the task's retry cycle, and after the last
 * retry an incident shows in Cockpit.
 */
public class CircleCiUnavailableException extends RuntimeException {
  public CircleCiUnavailableException(String message) {
    super(message);
  }

  public CircleCiUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
