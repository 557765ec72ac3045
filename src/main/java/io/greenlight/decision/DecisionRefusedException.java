package io.greenlight.decision;

/**
 * An answer that may not be recorded, with a code for API clients and a sentence for people. Thrown
 * from the task's complete listener too, so Tasklist shows the same reason and the task stays open.
 */
public class DecisionRefusedException extends RuntimeException {

  private final String code;
  private final String field;

  public DecisionRefusedException(String code, String field, String message) {
    super(message);
    this.code = code;
    this.field = field;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
