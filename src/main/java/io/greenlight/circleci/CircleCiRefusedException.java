package io.greenlight.circleci;

/** CircleCI answered with a 4xx that no retry will change (other than 401, 403 and 429). */
public class CircleCiRefusedException extends RuntimeException {
  private final int statusCode;

  public CircleCiRefusedException(int statusCode, String message) {
    super(message);
    this.statusCode = statusCode;
  }

  public int statusCode() {
    return statusCode;
  }
}
