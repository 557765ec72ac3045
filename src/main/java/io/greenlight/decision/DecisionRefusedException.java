package io.greenlight.decision;

import java.util.Optional;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * An answer that may not be recorded, with a code for API clients and a sentence for people. Thrown
 * from the task's complete listener too, so Tasklist shows the same reason and the task stays open. To the engine it is
 * a form field that did not validate: that is the one refusal Camunda's REST API (Tasklist, {@code /engine-rest})
 * answers with 400 and the reason when a task is completed; any other engine exception there becomes a 500.
 */
public class DecisionRefusedException extends FormFieldValidationException {

  private final String code;
  private final String field;

  public DecisionRefusedException(String code, String field, String message) {
    super(field == null ? code : field, message);
    this.code = code;
    this.field = field;
  }

  /** The refusal in {@code failure}'s cause chain (the engine wraps what a listener throws), if there is one. */
  static Optional<DecisionRefusedException> in(Throwable failure) {
    return Causes.first(failure, DecisionRefusedException.class);
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
