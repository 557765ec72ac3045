package io.greenlight.approval;

/** A request's body does not name a gate of its kind: the field at fault and why, for a 400 that names it. */
public class GateNotNamedException extends RuntimeException {

  private final String field;

  /** @param problem what is wrong with the field, as in "Field {field} {problem}." */
  public GateNotNamedException(String field, String problem) {
    super(problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
