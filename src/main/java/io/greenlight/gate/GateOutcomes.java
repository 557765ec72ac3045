package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;

import java.util.Collection;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.model.bpmn.instance.Error;

/**
 * The business outcomes of a gate kind's steps ({@code approval.GateKind}): the {@code BpmnError}s the diagram
 * catches, with the reason kept for the request's outcome. A request runs on the model it started with: one started
 * before these codes were named for every gate kind catches them under their CircleCI names, and gets those.
 */
public final class GateOutcomes {

  /** There is no gate to answer (the request fails, with the reason). */
  public static final String GATE_NOT_FOUND = "GATE_NOT_FOUND";
  /** The gate was decided in the CI system itself (the request ends cancelled). */
  public static final String GATE_DECIDED_ELSEWHERE = "GATE_DECIDED_ELSEWHERE";
  /** The CI system refused for good (the request fails, with the reason). */
  public static final String GATE_REFUSED = "GATE_REFUSED";
  /** {@link #GATE_DECIDED_ELSEWHERE} in models deployed before gate kinds had a code of their own. */
  static final String GATE_DECIDED_IN_CIRCLECI = "GATE_DECIDED_IN_CIRCLECI";
  /** {@link #GATE_REFUSED} in those models. */
  static final String CIRCLECI_REFUSED = "CIRCLECI_REFUSED";

  private GateOutcomes() {}

  public static BpmnError notFound(DelegateExecution execution, String reason) {
    return outcome(execution, GATE_NOT_FOUND, reason);
  }

  public static BpmnError decidedElsewhere(DelegateExecution execution, String reason) {
    return outcome(execution, caughtAs(execution, GATE_DECIDED_ELSEWHERE, GATE_DECIDED_IN_CIRCLECI), reason);
  }

  public static BpmnError refused(DelegateExecution execution, String reason) {
    return outcome(execution, caughtAs(execution, GATE_REFUSED, CIRCLECI_REFUSED), reason);
  }

  private static BpmnError outcome(DelegateExecution execution, String errorCode, String reason) {
    execution.setVariable(FAILURE_REASON, reason);
    return new BpmnError(errorCode, reason);
  }

  /**
   * The code the request's own model catches: an error no event catches would end the request's path silently, so an
   * earlier model gets the name it knows.
   */
  private static String caughtAs(DelegateExecution execution, String code, String inEarlierModels) {
    Collection<Error> declared = execution.getBpmnModelInstance().getModelElementsByType(Error.class);
    return declared.stream().anyMatch(error -> code.equals(error.getErrorCode())) ? code : inEarlierModels;
  }
}
