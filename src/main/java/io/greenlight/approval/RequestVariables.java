package io.greenlight.approval;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The variables of a request, typed: {@code request.text(PROJECT_SLUG)} instead of
 * {@code (String) execution.getVariable(..)}; of a running request (its execution) or of any request (its history's
 * variables, for the read side). A variable of another type than asked is a fault of the model or of Greenlight (the
 * answer guard refuses anything but plain values from outside), and fails loudly with its name.
 */
public final class RequestVariables {

  /** The variable by name, as a typed value where the source has one (JSON is read from it without objects built). */
  private final Function<String, Object> typed;

  private RequestVariables(Function<String, Object> typed) {
    this.typed = typed;
  }

  public static RequestVariables of(VariableScope scope) {
    return new RequestVariables(name -> scope.getVariableTyped(name, false));
  }

  /** From the history's variables of one request (name → typed value, as {@link ApprovalRequests#variablesOf} reads them). */
  public static RequestVariables of(Map<String, Object> variables) {
    return new RequestVariables(variables::get);
  }

  /** The variable as text, or null when it is not set. */
  public String text(String name) {
    return as(name, String.class);
  }

  public Instant instant(String name) {
    Date date = as(name, Date.class);
    return date == null ? null : date.toInstant();
  }

  /** A whole number, or null when it is not set. */
  public Long number(String name) {
    Number number = as(name, Number.class);
    return number == null ? null : number.longValue();
  }

  /** A JSON list kept as text ({@link JsonVariables}); empty when not set. */
  public <T> List<T> list(String name, Class<T> type) {
    return JsonVariables.list(typed.apply(name), type);
  }

  /** A JSON record kept as text, or null when not set. */
  public <T> T json(String name, Class<T> type) {
    return JsonVariables.read(typed.apply(name), type);
  }

  private <T> T as(String name, Class<T> type) {
    Object variable = typed.apply(name);
    Object value = variable instanceof TypedValue typedValue ? typedValue.getValue() : variable;
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    throw new IllegalStateException("The request's variable " + name + " is a " + value.getClass().getSimpleName()
        + ", not a " + type.getSimpleName());
  }
}
