package io.greenlight.gitlab;

/**
 * GitLab could not be reached, failed (5xx, timeouts), refused the token (401), or the gate is not there yet: retried on
 * the step's cycle, then an incident.
 */
public class GitLabUnavailableException extends RuntimeException {

  GitLabUnavailableException(String message) {
    super(message);
  }

  GitLabUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
