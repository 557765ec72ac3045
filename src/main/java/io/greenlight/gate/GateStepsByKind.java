package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.GATE;

import io.greenlight.approval.GateKinds;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Every gate kind's steps, by kind. */
@Component
public class GateStepsByKind {

  private final Map<String, GateSteps> byKind;

  public GateStepsByKind(List<GateSteps> kinds) {
    this.byKind = kinds.stream().collect(Collectors.toUnmodifiableMap(GateSteps::kind, Function.identity()));
  }

  JavaDelegate step(DelegateExecution execution, Function<GateSteps, JavaDelegate> step) {
    String kind = GateKinds.of(execution.getVariable(GATE));
    GateSteps steps = byKind.get(kind);
    if (steps == null) {
      // A request of a kind this build does not know cannot go on; an incident says so, and nothing is lost.
      throw new IllegalStateException("Request " + execution.getProcessInstanceId() + " is for a gate of kind '" + kind
          + "', which this Greenlight does not handle (it knows " + byKind.keySet() + ")");
    }
    return step.apply(steps);
  }
}
