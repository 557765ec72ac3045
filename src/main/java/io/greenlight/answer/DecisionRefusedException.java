package io.greenlight.answer;

import java.util.Optional;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * A {@link Refusal} thrown from the decision task's complete listener and the engine guard, so Tasklist and
 * {@code /engine-rest} show the same reason as every other channel and the task stays open. To the engine it is a form
 * field that did not validate: that is the one refusal Camunda's REST API answers with 400 and the reason when a task
 * is completed; any other engine exception there becomes a 500.
 */
public class DecisionRefusedException extends FormFieldValidationException {

  private final Refusal refusal;

  public DecisionRefusedException(Refusal refusal) {
    super(refusal.field() == null ? refusal.code() : refusal.field(), refusal.message());
    this.refusal = refusal;
  }

  /** The refusal in {@code failure}'s cause chain (the engine wraps what a listener throws), if there is one. */
  static Optional<DecisionRefusedException> in(Throwable failure) {
    return Causes.first(failure, DecisionRefusedException.class);
  }

  public Refusal refusal() {
    return refusal;
  }

  public String code() {
    return refusal.code();
  }
}
