package io.greenlight.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure of Greenlight's own API into {@link ApiError} JSON; no stack trace leaves the server. */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final DatabaseLink link;

  ApiExceptionHandler(DatabaseLink link) {
    this.link = link;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ApiError> api(ApiException e) {
    if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
      return ResponseEntity.status(e.status()).header("Retry-After", Long.toString(link.retryAfterSeconds())).body(e.toError());
    }
    return ResponseEntity.status(e.status()).body(e.toError());
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
    return invalidFields(e.getBindingResult().getFieldErrors());
  }

  private static ResponseEntity<ApiError> invalidFields(List<FieldError> errors) {
    FieldError first = errors.stream().findFirst().orElse(null);
    String field = first == null ? null : snakeCase(first.getField());
    String message = errors.stream()
        .map(error -> snakeCase(error.getField()) + " " + error.getDefaultMessage())
        .sorted().collect(Collectors.joining("; "));
    return badRequest(first != null && "is required".equals(first.getDefaultMessage()) ? "missing_field" : "invalid_field",
        field, capitalise(message) + ".");
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    // A body that refuses a field itself while it is read (a @JsonAnySetter of a body that allows no other fields).
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiException refused) {
        return api(refused);
      }
    }
    if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String field = mismatch.getPath().stream().map(JsonMappingException.Reference::getFieldName)
          .filter(name -> name != null).collect(Collectors.joining("."));
      String expected = mismatch instanceof InvalidFormatException invalid ? invalid.getTargetType().getSimpleName() : "another type";
      return badRequest("invalid_field", field, "Field " + field + " has the wrong type (expected " + expected.toLowerCase() + ").");
    }
    return badRequest("malformed_json", null, "The body is not a JSON object of the documented shape.");
  }

  /** A path or query parameter of the wrong form ({@code @Pattern} on a controller's parameter). */
  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e) {
    // A controller validated by method validation reports its @Valid body here too: the same answer as without.
    List<FieldError> bodyErrors = e.getBeanResults().stream().flatMap(errors -> errors.getFieldErrors().stream()).toList();
    if (!bodyErrors.isEmpty()) {
      return invalidFields(bodyErrors);
    }
    List<String> problems = new ArrayList<>();
    String field = null;
    for (ParameterValidationResult result : e.getParameterValidationResults()) {
      String name = parameterName(result.getMethodParameter());
      field = field == null ? name : field;
      result.getResolvableErrors().forEach(error -> problems.add(name + " " + error.getDefaultMessage()));
    }
    return badRequest("invalid_parameter", field, capitalise(String.join("; ", problems)) + ".");
  }

  /** The name the client used: the path variable's or request parameter's, else the Java one. */
  private static String parameterName(MethodParameter parameter) {
    RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
    if (requestParam != null && !requestParam.name().isEmpty()) {
      return requestParam.name();
    }
    PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
    if (pathVariable != null && !pathVariable.name().isEmpty()) {
      return pathVariable.name();
    }
    return snakeCase(parameter.getParameterName() == null ? "parameter" : parameter.getParameterName());
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
    return badRequest("missing_parameter", e.getParameterName(), "Query parameter " + e.getParameterName() + " is required.");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ApiError> wrongParameter(MethodArgumentTypeMismatchException e) {
    return badRequest("invalid_parameter", e.getName(), "Query parameter " + e.getName() + " has an invalid value.");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .body(new ApiError("unsupported_media_type", "Send the body as application/json.", null));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
        .body(new ApiError("method_not_allowed", "Method " + e.getMethod() + " is not allowed here.", null));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ApiError> noSuchPath(NoResourceFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ApiError("not_found", "There is nothing at this path.", null));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError> unexpected(Exception e) {
    if (DatabaseUnavailable.causedBy(e)) {
      // One line (not a stack trace per request) and a look at the database at once; the client may try again.
      link.suspect("An API request", e);
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header("Retry-After", Long.toString(link.retryAfterSeconds())).body(DatabaseDownGate.unavailable());
    }
    log.error("Unexpected failure answering an API request", e);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(new ApiError("unavailable", "Greenlight could not complete this request; nothing was changed. Try again.", null));
  }

  private static ResponseEntity<ApiError> badRequest(String code, String field, String message) {
    return ResponseEntity.badRequest().body(new ApiError(code, message, field));
  }

  private static String snakeCase(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  private static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
