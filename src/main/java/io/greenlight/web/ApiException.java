package io.greenlight.web;

import org.springframework.http.HttpStatus;

/** An answer other than success, with everything the client is told. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final String field;

  public ApiException(HttpStatus status, String code, String field, String message) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", null, what + " does not exist.");
  }

  public HttpStatus status() {
    return status;
  }

  public ApiError toError() {
    return new ApiError(code, getMessage(), field);
  }
}
