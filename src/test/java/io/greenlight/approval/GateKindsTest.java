package io.greenlight.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * A request's kind is found by its {@code gate} variable; a request from before gates had kinds is CircleCI's; and a
 * request of a kind this build does not know can still be shown, while its steps fail (an incident: nothing is lost).
 */
class GateKindsTest {

  private final GateKind circleCi = new Named("circleci");
  private final GateKinds kinds = new GateKinds(new StaticListableBeanFactory(Map.of("circleCi", circleCi))
      .getBeanProvider(GateKind.class));

  @Test
  void aRequestIsOfTheKindItsGateVariableNames() {
    assertThat(kinds.of("circleci")).isSameAs(circleCi);
  }

  @Test
  void aRequestFromBeforeGatesHadKindsIsCircleCis() {
    assertThat(kinds.of(null)).isSameAs(circleCi);
    assertThat(GateKinds.idOf(null)).isEqualTo("circleci");
  }

  @Test
  void aKindThisBuildDoesNotKnowIsShownButItsStepsFailNamingTheKindsItKnows() throws Exception {
    GateKind unknown = kinds.of("gitlab");
    DelegateExecution execution = mock(DelegateExecution.class);
    when(execution.getProcessInstanceId()).thenReturn("request-1");

    assertThat(unknown.id()).isEqualTo("gitlab");
    assertThat(unknown.systemName()).contains("gitlab");
    assertThat(unknown.viewPart(null)).isNull();
    for (JavaDelegate step : List.of(unknown.find(), unknown.approve(), unknown.stop())) {
      assertThatThrownBy(() -> step.execute(execution)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("request-1").hasMessageContaining("'gitlab'").hasMessageContaining("[circleci]");
    }
  }

  /** A kind with nothing but its id (the registry only reads that). */
  private record Named(String id) implements GateKind {
    public String systemName() { return id; }
    public String stopped() { return ""; }
    public String willBeStopped() { return ""; }
    public JavaDelegate find() { return execution -> {}; }
    public JavaDelegate approve() { return execution -> {}; }
    public JavaDelegate stop() { return execution -> {}; }
    public boolean stoppedTheDeploy(RequestVariables request) { return false; }
    public String whereTheGateIs(RequestVariables request) { return ""; }
    public String stoppingNow() { return ""; }
    public String decidedThere(RequestVariables request) { return ""; }
    public List<ApprovalView.TimelineEntry> calls(RequestVariables request) { return List.of(); }
    public Object viewPart(RequestVariables request) { return null; }
    public Map<String, String> historyLines(ApprovalView view) { return Map.of(); }
    public String lastCall(ApprovalView view) { return ""; }
  }
}
