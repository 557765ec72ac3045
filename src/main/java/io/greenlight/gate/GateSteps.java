package io.greenlight.gate;

import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The diagram's steps that talk to the CI system holding the gate, as one gate kind carries them out: find the gate,
 * let the deploy go on, stop it. The diagram names each step once ({@code ${findGate}}, {@code ${approveGate}},
 * {@code ${cancelGate}}); the request's {@code gate} variable picks the kind. Each step keeps the diagram's contract:
 * business outcomes as the {@code BpmnError}s the diagram catches, everything else as exceptions that are retried.
 * A gate kind's package declares one as a bean.
 *
 * @param kind the {@code gate} value this kind answers to ({@code approval.GateKinds})
 */
public record GateSteps(String kind, JavaDelegate find, JavaDelegate approve, JavaDelegate cancel) {

  /** Business outcome: there is no gate to answer (the request fails, with the reason). */
  public static final String GATE_NOT_FOUND = "GATE_NOT_FOUND";
  /** Business outcome: the gate was decided in the CI system itself (the request ends cancelled). */
  public static final String GATE_DECIDED_ELSEWHERE = "GATE_DECIDED_IN_CIRCLECI";
  /** Business outcome: the CI system refused for good (the request fails, with the reason). */
  public static final String GATE_REFUSED = "CIRCLECI_REFUSED";
}
