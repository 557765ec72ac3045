package io.greenlight.approval;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * The variables of a running request, typed: {@code request.text(PROJECT_SLUG)} instead of
 * {@code (String) execution.getVariable(..)}. A variable of another type than asked is a fault of the model or of
 * Greenlight (the answer guard refuses anything but plain values from outside), and fails loudly with its name.
 */
public record RequestVariables(VariableScope scope) {

  public static RequestVariables of(VariableScope scope) {
    return new RequestVariables(scope);
  }

  /** The variable as text, or null when it is not set. */
  public String text(String name) {
    return as(name, String.class);
  }

  public Instant instant(String name) {
    Date date = as(name, Date.class);
    return date == null ? null : date.toInstant();
  }

  /** A JSON list kept as text ({@link JsonVariables}); empty when not set. */
  public <T> List<T> list(String name, Class<T> type) {
    return JsonVariables.list(scope.getVariableTyped(name, false), type);
  }

  /** A JSON record kept as text, or null when not set. */
  public <T> T json(String name, Class<T> type) {
    return JsonVariables.read(scope.getVariableTyped(name, false), type);
  }

  private <T> T as(String name, Class<T> type) {
    Object value = scope.getVariable(name);
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    throw new IllegalStateException("The request's variable " + name + " is a " + value.getClass().getSimpleName()
        + ", not a " + type.getSimpleName());
  }
}
