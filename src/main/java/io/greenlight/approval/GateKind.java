package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * One CI system whose gates Greenlight answers: CircleCI's approval jobs, GitHub's deployment protection rules, …. A
 * kind's package implements this once, as a bean; {@link GateKinds} finds it by the request's {@code gate} variable,
 * and nothing outside the kind's package branches on which kind a request is.
 *
 * <p>The steps keep the diagram's contract: business outcomes as the {@code BpmnError}s the diagram catches, everything
 * else as exceptions that are retried and then become incidents.
 */
public interface GateKind {

  /**
   * The value of the request's {@code gate} variable, of the API's {@code gate} and of the metrics' {@code gate} label
   * ({@code circleci}, {@code github}): kept in history, so it never changes.
   */
  @JsonValue
  String id();

  /** The CI system's name in what people read: {@code CircleCI}. */
  String systemName();

  /** What stopping the deploy did there, as a sentence: {@code The workflow was cancelled.} */
  String stopped();

  /** … and as ahead: {@code The workflow will be cancelled.} */
  String willBeStopped();

  /**
   * The project as approvers read it, from the request's project slug and its gate's name (the approval job, the
   * environment): the slug, unless the kind's gates are one environment of it ({@code gh/acme/shop to production}).
   */
  default String project(String projectSlug, String gateName) {
    return projectSlug;
  }

  /** The request's workflow as the system calls it: {@code workflow 5034…}, {@code run 9001}, {@code pipeline 9101}. */
  default String workflow(String workflowId) {
    return "workflow " + workflowId;
  }

  /** {@code ${findGate}}: find the gate the request is for, and what it says about the deploy. */
  JavaDelegate find();

  /** {@code ${approveGate}}: let the deploy go on. */
  JavaDelegate approve();

  /** {@code ${cancelGate}}: stop the deploy (rejected, expired, nobody can approve). */
  JavaDelegate stop();

  /** Whether Greenlight's own call stopped the deploy, from the request's variables (the outcome says so). */
  boolean stoppedTheDeploy(RequestVariables request);

  // The timeline's words (docs/audit.md): events are named after the system ("Decided in CircleCI", "GitHub refused").

  /** The "Gate found" entry: where the gate is ({@code approval job 'hold' is on hold in CircleCI, …}). */
  String whereTheGateIs(RequestVariables request);

  /** Nobody can approve, so the deploy is stopped now, as a sentence: {@code The workflow is cancelled in CircleCI.} */
  String stoppingNow();

  /** The "Decided in …" entry: the gate was decided in the system itself, and what Greenlight did about it. */
  String decidedThere(RequestVariables request);

  /** Greenlight's calls to the system about this request, as the timeline shows them: what was asked, what it answered. */
  List<ApprovalView.TimelineEntry> calls(RequestVariables request);

  /**
   * The kind's part of the API's view of a request, shown under its {@link #id()} ({@code "circleci": {…}}); null while
   * it has nothing to show. Its schema is the kind's to document (an {@code OpenApiCustomizer} in its package).
   */
  Object viewPart(RequestVariables request);

  /** The history page's lines about the gate, by label: where it is, and what the system answered Greenlight. */
  Map<String, String> historyLines(ApprovalView view);

  /** The history list's one cell about the gate: the last call and its answer ({@code approve 202}), or empty. */
  String lastCall(ApprovalView view);

  // Intake: a pipeline asking with POST /api/approvals names its gate in its kind's own fields.

  /**
   * Whether a pipeline asking through {@code POST /api/approvals} for {@code projectSlug} asks for one of this kind's
   * gates, by the slug's prefix ({@code gl/…}); false for a kind whose gates ask otherwise (GitHub's webhook).
   */
  default boolean asksThroughTheApi(String projectSlug) {
    return false;
  }

  /**
   * The gate an API request names, read from this kind's fields of the body: the request's workflow and gate name (one
   * pending request per gate) and the kind's variables. A body that names no gate of this kind is refused with a
   * {@link GateNotNamedException} naming the field.
   */
  default NamedGate named(AskedGate asked) {
    throw new GateNotNamedException("project_slug", "names no gate Greenlight takes through the API for " + systemName());
  }
}
