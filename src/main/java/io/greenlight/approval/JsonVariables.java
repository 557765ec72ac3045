package io.greenlight.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.spin.plugin.variable.SpinValues;
import org.camunda.spin.plugin.variable.value.JsonValue;

/**
 * Lists and records kept as Spin JSON variables: readable in Cockpit and the history, never Java
 * serialization, and no length limit as plain string variables have.
 */
public final class JsonVariables {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  private JsonVariables() {}

  public static JsonValue json(Object value) {
    return SpinValues.jsonValue(text(value)).create();
  }

  /** {@code value} as JSON text, as the variables keep it. */
  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** The list kept in {@code name}, empty when unset. */
  public static <T> List<T> list(VariableScope scope, String name, Class<T> type) {
    return list(scope.getVariableTyped(name), type);
  }

  /** Reads a JSON list from a typed variable value (of a runtime or historic variable). */
  public static <T> List<T> list(Object typedValue, Class<T> type) {
    T[] items = read(typedValue, type.arrayType());
    return items == null ? new ArrayList<>() : new ArrayList<>(List.of(items));
  }

  @SuppressWarnings("unchecked")
  public static <T> T read(Object typedValue, Class<?> type) {
    if (typedValue == null) {
      return null;
    }
    String text = typedValue instanceof JsonValue json ? json.getValueSerialized() : typedValue.toString();
    if (text == null) {
      return null;
    }
    try {
      return (T) MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Variable is not the JSON of a " + type.getSimpleName(), e);
    }
  }

  public static <T> void append(VariableScope scope, String name, Class<T> type, T item) {
    List<T> items = list(scope, name, type);
    items.add(item);
    scope.setVariable(name, json(items));
  }
}
