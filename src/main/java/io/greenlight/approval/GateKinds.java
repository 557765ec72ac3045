package io.greenlight.approval;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The gate kinds this Greenlight knows (each kind's package declares its {@link GateKind} bean), by id. */
@Component
public class GateKinds {

  /** The kind of requests made before gates had kinds: CircleCI's. */
  public static final String BEFORE_KINDS = "circleci";

  // Looked up on first use: the kinds' steps need beans (the request store, say) that need this registry.
  private final ObjectProvider<GateKind> registered;
  private volatile Map<String, GateKind> byId;

  public GateKinds(ObjectProvider<GateKind> registered) {
    this.registered = registered;
  }

  /** The kind of a request, from its {@code gate} variable; one this build does not know still has a name and words. */
  public GateKind of(Object gateVariable) {
    String id = idOf(gateVariable);
    GateKind kind = byId().get(id);
    return kind == null ? new Unknown(id, byId().keySet().stream().sorted().toList()) : kind;
  }

  /** The kind a pipeline asking through {@code POST /api/approvals} for {@code projectSlug} asks of; empty for none. */
  public Optional<GateKind> askedThroughTheApi(String projectSlug) {
    return byId().values().stream().filter(kind -> kind.asksThroughTheApi(projectSlug)).findFirst();
  }

  /** The id of a request's kind, from its {@code gate} variable (where only the id is needed: a metric's label). */
  public static String idOf(Object gateVariable) {
    return gateVariable == null ? BEFORE_KINDS : gateVariable.toString();
  }

  private Map<String, GateKind> byId() {
    Map<String, GateKind> known = byId;
    if (known == null) {
      known = registered.orderedStream().collect(Collectors.toUnmodifiableMap(GateKind::id, Function.identity()));
      byId = known;
    }
    return known;
  }

  /**
   * A kind this build does not handle (a request made by a newer or differently built Greenlight on the same database):
   * it can be shown and read about; its steps fail, so the request waits in an incident and nothing is lost.
   */
  private record Unknown(String id, List<String> known) implements GateKind {

    @Override
    public String systemName() {
      return "the CI system (" + id + ")";
    }

    @Override
    public String stopped() {
      return "The deploy was stopped.";
    }

    @Override
    public String willBeStopped() {
      return "The deploy will be stopped.";
    }

    @Override
    public JavaDelegate find() {
      return this::unhandled;
    }

    @Override
    public JavaDelegate approve() {
      return this::unhandled;
    }

    @Override
    public JavaDelegate stop() {
      return this::unhandled;
    }

    @Override
    public boolean stoppedTheDeploy(RequestVariables request) {
      return false;
    }

    @Override
    public String whereTheGateIs(RequestVariables request) {
      return "the gate of " + request.text(ApprovalVariables.PROJECT_SLUG) + " in " + systemName();
    }

    @Override
    public String stoppingNow() {
      return "The deploy is stopped.";
    }

    @Override
    public String decidedThere(RequestVariables request) {
      return request.text(ApprovalVariables.FAILURE_REASON);
    }

    @Override
    public List<ApprovalView.TimelineEntry> calls(RequestVariables request) {
      return List.of();
    }

    @Override
    public Object viewPart(RequestVariables request) {
      return null;
    }

    @Override
    public Map<String, String> historyLines(ApprovalView view) {
      return Map.of("Gate", "of kind '" + id + "', which this Greenlight does not handle");
    }

    @Override
    public String lastCall(ApprovalView view) {
      return "";
    }

    private void unhandled(org.camunda.bpm.engine.delegate.DelegateExecution execution) {
      throw new IllegalStateException("Request " + execution.getProcessInstanceId() + " is for a gate of kind '" + id
          + "', which this Greenlight does not handle (it knows " + known + ")");
    }
  }
}
