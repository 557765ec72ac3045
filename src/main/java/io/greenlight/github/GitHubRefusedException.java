package io.greenlight.github;

/** GitHub refused a call in a way no retry will change (a 4xx other than a rate limit): the request fails, with why. */
public class GitHubRefusedException extends RuntimeException {

  private final int statusCode;

  GitHubRefusedException(int statusCode, String message) {
    super(message);
    this.statusCode = statusCode;
  }

  public int statusCode() {
    return statusCode;
  }
}
