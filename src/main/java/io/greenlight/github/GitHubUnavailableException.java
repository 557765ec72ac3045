package io.greenlight.github;

/** GitHub could not be reached or failed (5xx, timeouts): retried on the step's cycle, then an incident. */
public class GitHubUnavailableException extends RuntimeException {

  GitHubUnavailableException(String message) {
    super(message);
  }

  GitHubUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
