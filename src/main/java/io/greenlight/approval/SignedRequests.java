package io.greenlight.approval;

import java.util.Map;

/**
 * Where a gate kind whose CI system calls Greenlight itself, in a message whose signature the kind checked (GitHub's
 * {@code deployment_protection_rule} webhook), starts its requests: the kind's own way in reads the message, and this
 * starts the request as every kind's is started (one request per gate, one at a time per workflow, an SMS code
 * reserved). Implemented by {@code intake}, so that the kind's package needs nothing of it.
 */
public interface SignedRequests {

  /**
   * A request the system asked for: the kind and its gate; who deploys, and what; and the message's own ids by which the
   * same message delivered again is known ({@code startedBy}: variable name → value, looked up in order).
   */
  record SignedRequest(String kind, String projectSlug, NamedGate gate, String requestedBy, String branch, String commit,
                       String summary, Map<String, Object> startedBy) {}

  /** The request for it, and whether this message started it. */
  record Started(ApprovalView approval, boolean created) {}

  /**
   * The request started for it; for a message seen before (a {@code startedBy} variable holding the same value), the
   * request it started, pending or ended; for the same gate while pending, that request. The system ignores the answer:
   * a request nobody can approve starts and ends visibly, stopping the deploy with the reason.
   */
  Started request(SignedRequest request);
}
