package io.greenlight.github;

/** GitHub could not be reached or failed (5xx, timeouts): retried on the step's cycle, then an incident. */
public class GitHubUnavailableException extends RuntimeException {

  private final boolean notTaken;

  GitHubUnavailableException(String message) {
    this(message, null, false);
  }

  GitHubUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private GitHubUnavailableException(String message, Throwable cause, boolean notTaken) {
    super(message, cause);
    this.notTaken = notTaken;
  }

  /** GitHub answered, and the answer proves it did not act on the call (a refused token). */
  static GitHubUnavailableException notTaken(String message) {
    return new GitHubUnavailableException(message, null, true);
  }

  public boolean notTaken() {
    return notTaken;
  }
}
