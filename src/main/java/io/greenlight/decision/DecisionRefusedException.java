package io.greenlight.decision;

import java.util.Optional;
import org.camunda.bpm.engine.BadUserRequestException;

/**
 * An answer that may not be recorded, with a code for API clients and a sentence for people. Thrown
 * from the task's complete listener too, so Tasklist shows the same reason and the task stays open. A bad user
 * request to the engine, so Camunda's REST API (Tasklist, {@code /engine-rest}) answers 400 with the reason.
 */
public class DecisionRefusedException extends BadUserRequestException {

  private final String code;
  private final String field;

  public DecisionRefusedException(String code, String field, String message) {
    super(message);
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
