package io.greenlight.approval;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A gate as its kind names it from a pipeline's request: the request's workflow ({@code workflowId}: CircleCI's workflow,
 * GitLab's pipeline) and the gate's name in it ({@code gateName}: the approval job, the environment; null when the
 * workflow's only gate is meant), which make the request's business key, and the kind's own variables for the request.
 */
public record NamedGate(String workflowId, String gateName, Map<String, Object> variables) {

  public NamedGate {
    // A kind may name a variable without a value (no build link claimed): kept as null, as the engine keeps it.
    variables = Collections.unmodifiableMap(new HashMap<>(variables));
  }
}
